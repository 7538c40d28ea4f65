package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.StrongroomServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Strongroom server running in the test JVM on a free port, with its own data directory, plus everything a test
 * needs around it: a kubeconfig for kubectl and an HTTPS client.
 */
final class TestServer implements AutoCloseable {
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^(\\s*server:\\s*)\\S+$");

    private final StrongroomServer server;
    private final Path root;
    private final Path kubeconfig;
    private final ServerAccess access;

    private TestServer(StrongroomServer server, Path root, Path kubeconfig) {
        this.server = server;
        this.root = root;
        this.kubeconfig = kubeconfig;
        this.access = new ServerAccess(server.dataDirectory().root(), server.url());
    }

    /** Starts a server with its data directory in {@code root/data}; kubectl homes go under {@code root/clients}. */
    static TestServer start(Path root) {
        return start(root, o -> o);
    }

    static TestServer start(Path root, UnaryOperator<ServerOptions> options) {
        try {
            StrongroomServer s = StrongroomServer.start(options.apply(ServerOptions.defaults(root.resolve("data")).withPort(0)));
            return new TestServer(s, root, clientKubeconfig(s, root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The kubeconfig kubectl uses: the server's own {@code admin.kubeconfig} (its token and CA), with the server URL
     * set to where this server listens. A server started with {@code --secure-port 0} writes the port it was asked
     * for, not the one it got (see {@code AdminKubeconfigTest}); copying keeps that bug from masking every other
     * result, while that test keeps reporting it.
     */
    private static Path clientKubeconfig(StrongroomServer s, Path root) throws IOException {
        String admin = Files.readString(s.dataDirectory().adminKubeconfig());
        Matcher m = SERVER_LINE.matcher(admin);
        if (!m.find()) throw new AssertionError("admin.kubeconfig has no server: line:\n" + admin);
        String fixed = m.replaceFirst(Matcher.quoteReplacement(m.group(1) + s.url()));
        Path dir = Files.createDirectories(root.resolve("clients"));
        Path file = dir.resolve("admin.kubeconfig");
        Files.writeString(file, fixed);
        return file;
    }

    /** A kubectl of the given version with a home (and discovery cache) of its own under this server. */
    Kubectl kubectl(String version, Path workDir) {
        return new Kubectl(version, kubeconfig, root.resolve("clients").resolve("home-" + version), workDir);
    }

    StrongroomServer server() { return server; }

    Path dataDir() { return server.dataDirectory().root(); }

    Path kubeconfig() { return kubeconfig; }

    ServerAccess access() { return access; }

    @Override
    public void close() {
        server.close();
    }
}
