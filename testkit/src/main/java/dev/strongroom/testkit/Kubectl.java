package dev.strongroom.testkit;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one real kubectl binary ({@code /usr/lib/google-cloud-sdk/bin/kubectl.1.NN}) against a test server.
 *
 * <p>Every run gets a clean environment: only {@code PATH}, a private {@code HOME} and {@code KUBECACHEDIR} (kubectl
 * caches discovery for six hours, and a cache left by another server or another kubectl version would hide what this
 * server answers), the test kubeconfig, and whatever a test adds (for example {@code KUBE_EDITOR}). Stdin is empty
 * unless a test gives it, so a command that unexpectedly prompts ends instead of hanging; every run has a deadline.
 */
public final class Kubectl {
    public static final Path BIN_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");
    /** The client versions the server must work with (issue 2: kubectl 1.27 … 1.33). */
    public static final List<String> VERSIONS = List.of("1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String version;
    private final Path binary;
    private final Path kubeconfig;
    private final Path home;
    private final Path workDir;

    /**
     * @throws AssertionError when the binary is missing: a compatibility test that silently skips a client version
     *                        would report success for something it never tried.
     */
    public Kubectl(String version, Path kubeconfig, Path home, Path workDir) {
        this.version = version;
        this.binary = invokedAsKubectl(binary(version), home);
        this.kubeconfig = kubeconfig;
        this.home = home;
        this.workDir = workDir;
        try {
            Files.createDirectories(home);
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubectl whose home and work directory live under {@code root} (home-VERSION, work). */
    public static Kubectl inDirectory(String version, Path root, Path kubeconfig) {
        return new Kubectl(version, kubeconfig, root.resolve("home-" + version), root.resolve("work"));
    }

    /**
     * kubectl builds its User-Agent from the name it was invoked as; a symlink named {@code kubectl} makes it send
     * {@code kubectl/v1.NN…} as a user's kubectl does (audit events and managed fields record it).
     */
    private static Path invokedAsKubectl(Path real, Path home) {
        try {
            Path bin = Files.createDirectories(home.resolve("bin"));
            Path link = bin.resolve("kubectl");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, real);
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path binary(String version) {
        Path binary = BIN_DIR.resolve("kubectl." + version);
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new AssertionError("kubectl " + version + " is missing: " + binary + " is not an executable file. "
                    + "The compatibility tests must run every kubectl from 1.27 to 1.33 and never skip one; "
                    + "install the Google Cloud SDK kubectl components (see scripts/install-test-deps.sh).");
        }
        return binary;
    }

    public String version() { return version; }

    /** The minor version, e.g. 28 for "1.28". */
    public int minor() { return Integer.parseInt(version.substring(version.indexOf('.') + 1)); }

    public Path workDir() { return workDir; }

    public Result run(String... args) {
        return run(List.of(args), null, Map.of(), DEFAULT_TIMEOUT);
    }

    public Result runWithStdin(String stdin, String... args) {
        return run(List.of(args), stdin, Map.of(), DEFAULT_TIMEOUT);
    }

    public Result run(List<String> args, String stdin, Map<String, String> extraEnv, Duration timeout) {
        ProcessBuilder pb = processBuilder(args, extraEnv);
        try {
            Path out = Files.createTempFile(home, "stdout", ".txt");
            Path err = Files.createTempFile(home, "stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("kubectl " + version + " " + String.join(" ", args) + " did not finish within "
                        + timeout + "\nstdout so far:\n" + Files.readString(out) + "\nstderr so far:\n" + Files.readString(err));
            }
            Result r = new Result(args, p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kubectl", e);
        }
    }

    /** Runs a command that must succeed. */
    public Result ok(String... args) { return okWithStdin(null, args); }

    public Result okWithStdin(String stdin, String... args) {
        Result r = runWithStdin(stdin, args);
        if (r.exitCode() != 0) throw new AssertionError("expected success: " + r);
        return r;
    }

    public Streaming start(String... args) { return start(List.of(args), Map.of()); }

    /** Starts a long-running kubectl (get -w, delete that waits) whose stdout is read line by line as it comes. */
    public Streaming start(List<String> args, Map<String, String> extraEnv) {
        ProcessBuilder pb = processBuilder(args, extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            return new Streaming(String.join(" ", args), pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder processBuilder(List<String> args, Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        // Nothing of the developer's environment may leak in (KUBECONFIG, KUBECTL_*, HOME with a real ~/.kube).
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("KUBECACHEDIR", home.resolve(".kube").resolve("cache").toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(extraEnv);
        return pb;
    }

    /** What one kubectl run printed. */
    public record Result(List<String> args, int exitCode, String stdout, String stderr) {
        /**
         * stdout followed by stderr, the way the reference transcripts show a command's output (they captured both
         * streams; the commands compared print to only one of them, or, like {@code version}, stdout first).
         */
        public String combined() { return stdout + stderr; }

        @Override
        public String toString() {
            return "kubectl " + String.join(" ", args) + "\n[exit " + exitCode + "]\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr;
        }
    }

    /** A running kubectl whose stdout and stderr lines are collected as they arrive. */
    public static final class Streaming implements AutoCloseable {
        private final String description;
        private final Process process;
        private final Lines out = new Lines();
        private final Lines err = new Lines();
        private final Thread outReader;
        private final Thread errReader;

        Streaming(String description, Process process) {
            this.description = description;
            this.process = process;
            outReader = pump(process.getInputStream(), out, "kubectl-stdout");
            errReader = pump(process.getErrorStream(), err, "kubectl-stderr");
        }

        private static Thread pump(java.io.InputStream in, Lines sink, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) sink.pending.add(l);
                } catch (IOException ignored) {
                    // the process was killed: the stream ends
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /**
         * Waits until a stdout line matching {@code wanted} arrives (lines before it are kept), or fails at the
         * deadline with everything seen so far. The deadline is a failure bound, not a synchronisation delay.
         */
        /** Waits for a stdout line containing {@code text}; the deadline only bounds a failure. */
        public String await(String text) { return awaitLine(l -> l.contains(text), "a line with " + text, DEFAULT_TIMEOUT); }

        public String awaitLine(Predicate<String> wanted, String what, Duration deadline) {
            return await(out, wanted, "stdout line " + what, deadline);
        }

        /** Like {@link #awaitLine} for stderr (e.g. kubectl's {@code -v=6} request log). */
        public String awaitStderrLine(Predicate<String> wanted, String what, Duration deadline) {
            return await(err, wanted, "stderr line " + what, deadline);
        }

        private String await(Lines lines, Predicate<String> wanted, String what, Duration deadline) {
            long end = System.nanoTime() + deadline.toNanos();
            try {
                while (true) {
                    long left = end - System.nanoTime();
                    String line = left > 0 ? lines.pending.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (line == null) {
                        throw new AssertionError("kubectl " + description + ": no " + what + " within " + deadline
                                + (process.isAlive() ? "" : " (kubectl exited with " + process.exitValue() + ")")
                                + "\nstdout so far:\n" + String.join("\n", lines()) + "\nstderr so far:\n" + stderr());
                    }
                    lines.add(line);
                    if (wanted.test(line)) return line;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Every stdout line received so far. */
        public List<String> lines() { return out.snapshot(); }

        public String stderr() {
            return String.join("\n", err.snapshot());
        }

        public boolean isAlive() { return process.isAlive(); }

        /** Waits for the process to end by itself and returns its exit code; fails at the deadline. */
        public int awaitExit(Duration deadline) {
            try {
                if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("kubectl " + description + " did not finish within " + deadline
                            + "\nstdout so far:\n" + String.join("\n", lines()) + "\nstderr so far:\n" + stderr());
                }
                // The readers end when the pipes close, right after the exit; then every line is collected.
                outReader.join(deadline.toMillis());
                errReader.join(deadline.toMillis());
                out.drain();
                err.drain();
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static final class Lines {
            final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
            private final List<String> seen = new ArrayList<>();

            synchronized void add(String l) { seen.add(l); }

            synchronized void drain() { pending.drainTo(seen); }

            synchronized List<String> snapshot() {
                List<String> all = new ArrayList<>(seen);
                all.addAll(pending);
                return all;
            }
        }
    }

    /** Extra environment for one run, e.g. {@code env("KUBE_EDITOR", script)}. */
    public static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }
}
