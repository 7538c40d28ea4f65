package dev.strongroom.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Strongroom server in a child JVM ({@code dev.strongroom.cli.Main server}), so that a test can SIGKILL it.
 * Its output goes to a log file that failures quote.
 */
final class ChildServer implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final String url;

    private ChildServer(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * A free port below Linux's ephemeral range (32768–60999): the test restarts the server on the same port after
     * killing it, and a port from the ephemeral range could meanwhile be handed to another socket of the run (a
     * server started with port 0, or a client's source port).
     */
    static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20000 + random.nextInt(12000);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new AssertionError("no free port found in 20000-32000");
    }

    /** Starts the server and returns once {@code /readyz} answers 200 (fails at a deadline, or if the JVM exits). */
    static ChildServer start(Path dataDir, int port, Path log) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                // the test JVM's class path holds the cli module and everything it needs
                "-cp", System.getProperty("java.class.path"),
                "dev.strongroom.cli.Main", "server", "--data-dir", dataDir.toString(), "--secure-port", String.valueOf(port));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            ChildServer s = new ChildServer(p, log, "https://127.0.0.1:" + port);
            s.awaitReady(dataDir);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code /readyz} until it answers 200. The CA to trust exists only once the server has initialised its
     * data directory, so the client is built when it appears. The short pause between attempts only paces the
     * polling; readiness itself is what the loop waits for, up to a deadline.
     */
    private void awaitReady(Path dataDir) {
        long end = System.nanoTime() + READY_DEADLINE.toNanos();
        Path ca = dataDir.resolve("pki").resolve("ca.crt");
        HttpClient client = null;
        String last = "no attempt";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) throw new AssertionError("the server exited with " + process.exitValue() + " before it was ready\n" + log());
            try {
                if (client == null && Files.exists(ca)) {
                    client = HttpClient.newBuilder().sslContext(ServerAccess.trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
                }
                if (client != null) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) return;
                    last = "HTTP " + r.statusCode() + " " + r.body();
                }
            } catch (ConnectException e) {
                last = e.toString();
            } catch (IOException | RuntimeException e) {
                last = e.toString(); // e.g. the CA file is being written
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
        throw new AssertionError("the server was not ready within " + READY_DEADLINE + " (last: " + last + ")\n" + log());
    }

    String url() { return url; }

    long pid() { return process.pid(); }

    /** SIGKILL: no shutdown hook, no flush, no close — whatever was not durable is lost. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("the server survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (process.exitValue() != 137) throw new AssertionError("expected death by SIGKILL (exit 137), got " + process.exitValue() + "\n" + log());
    }

    String log() {
        try {
            return Files.exists(log) ? "--- server log " + log + " ---\n" + Files.readString(log) : "(no server log)";
        } catch (IOException e) {
            return "(server log unreadable: " + e + ")";
        }
    }

    /** An orderly stop (SIGTERM, the shutdown hook closes the store). */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
