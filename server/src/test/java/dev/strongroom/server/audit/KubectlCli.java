package dev.strongroom.server.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real kubectl ({@code /usr/lib/google-cloud-sdk/bin/kubectl.1.NN}) in a clean environment. The binary is
 * reached through a symlink named {@code kubectl}, because kubectl builds its User-Agent from its own file name and
 * the reference events say {@code kubectl/v1.28.15 (linux/amd64) kubernetes/8418565}.
 */
final class KubectlCli {
    static final Path BIN_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path home;
    private final Path workDir;
    private final Path kubeconfig;

    KubectlCli(String version, Path root, Path kubeconfig) throws IOException {
        Path real = BIN_DIR.resolve("kubectl." + version);
        if (!Files.isExecutable(real)) throw new AssertionError("kubectl " + version + " is missing at " + real + " (scripts/install-test-deps.sh installs it)");
        Path bin = Files.createDirectories(root.resolve("bin-" + version));
        binary = bin.resolve("kubectl");
        if (!Files.exists(binary)) Files.createSymbolicLink(binary, real);
        home = Files.createDirectories(root.resolve("home-" + version));
        workDir = Files.createDirectories(root.resolve("work"));
        this.kubeconfig = kubeconfig;
    }

    Path workDir() { return workDir; }

    record Result(List<String> args, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() { return "kubectl " + String.join(" ", args) + " [exit " + exitCode + "]\n" + stdout + stderr; }
    }

    Result run(String... args) { return runWithStdin(null, args); }

    Result runWithStdin(String stdin, String... args) {
        ProcessBuilder pb = builder(List.of(args));
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream o = p.getOutputStream()) {
                    o.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within " + TIMEOUT);
            }
            Result r = new Result(List.of(args), p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed. */
    Result ok(String... args) { return okWithStdin(null, args); }

    Result okWithStdin(String stdin, String... args) {
        Result r = runWithStdin(stdin, args);
        if (r.exitCode() != 0) throw new AssertionError("expected success: " + r);
        return r;
    }

    /** A long-running kubectl (get -w) whose stdout lines arrive in a queue. */
    Streaming start(String... args) {
        ProcessBuilder pb = builder(List.of(args));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            return new Streaming(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Streaming implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Streaming(Process p) {
            this.process = p;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException ignored) {
                    // killed
                }
            }, "kubectl-watch-reader");
            t.setDaemon(true);
            t.start();
        }

        /** Waits for a line containing {@code text}; the deadline only bounds a failure. */
        String await(String text) throws InterruptedException {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < end) {
                String l = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (l != null && l.contains(text)) return l;
            }
            throw new AssertionError("kubectl watch never printed a line with " + text);
        }

        /** Stops kubectl as the reference's {@code timeout} did (SIGTERM). */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("KUBECACHEDIR", home.resolve(".kube").resolve("cache").toString());
        env.put("LANG", "C.UTF-8");
        return pb;
    }
}
