package dev.strongroom.server.authn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.StrongroomServer;
import dev.strongroom.server.init.Pki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Strongroom server on a free loopback port in a temporary data directory, HTTPS clients for it (optionally
 * presenting a client certificate), and real kubectl binaries pointed at it.
 */
final class TestCluster implements AutoCloseable {
    static final Path KUBECTL_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");

    final Path dir;
    final StrongroomServer server;
    final String adminToken;
    final HttpClient http;
    private final List<Path> scratch = new ArrayList<>();

    private TestCluster(Path dir, StrongroomServer server, String adminToken) throws Exception {
        this.dir = dir;
        this.server = server;
        this.adminToken = adminToken;
        this.http = client(null);
    }

    static TestCluster start(UnaryOperator<ServerOptions> options) throws Exception {
        Path dir = Files.createTempDirectory("strongroom-authn");
        StrongroomServer s = StrongroomServer.start(options.apply(ServerOptions.defaults(dir.resolve("data")).withPort(0)));
        String kubeconfig = Files.readString(s.dataDirectory().adminKubeconfig());
        String token = kubeconfig.lines().filter(l -> l.trim().startsWith("token:")).findFirst().orElseThrow()
                .trim().substring("token:".length()).trim();
        return new TestCluster(dir, s, token);
    }

    Path caCert() { return server.dataDirectory().caCert(); }

    /** An HTTPS client trusting the server's CA, presenting {@code identity} (key + chain) if not null. */
    HttpClient client(Pki.Issued identity, X509Certificate... chainRest) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Certificate[] chain = new Certificate[1 + chainRest.length];
            chain[0] = identity.certificate();
            System.arraycopy(chainRest, 0, chain, 1, chainRest.length);
            ks.setKeyEntry("me", identity.key(), "x".toCharArray(), chain);
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : new javax.net.ssl.KeyManager[] {alwaysPresent((javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0])},
                tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Presents the certificate whatever CAs the server lists, as client-go does (its GetClientCertificate ignores
     * them); the JDK's own key manager would silently send nothing for a certificate of another CA.
     */
    private static javax.net.ssl.X509ExtendedKeyManager alwaysPresent(javax.net.ssl.X509KeyManager km) {
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override public String[] getClientAliases(String keyType, java.security.Principal[] issuers) { return new String[] {"me"}; }
            @Override public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) { return "me"; }
            @Override public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) { return "me"; }
            @Override public String[] getServerAliases(String keyType, java.security.Principal[] issuers) { return null; }
            @Override public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) { return null; }
            @Override public X509Certificate[] getCertificateChain(String alias) { return km.getCertificateChain(alias); }
            @Override public java.security.PrivateKey getPrivateKey(String alias) { return km.getPrivateKey(alias); }
        };
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Response request(HttpClient client, String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (json != null) b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    Response get(String path, String token) throws Exception { return request(http, "GET", path, null, token); }

    Response post(String path, String json, String token) throws Exception { return request(http, "POST", path, json, token); }

    Response delete(String path, String token) throws Exception { return request(http, "DELETE", path, null, token); }

    /** The server's answer to "who am I" for this token (SelfSubjectReview), or the failure status. */
    Response whoami(String token) throws Exception {
        return post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}", token);
    }

    /** TokenReview of {@code token} by the admin. */
    JsonNode tokenReview(String token, String... audiences) throws Exception {
        var spec = Json.object();
        spec.put("token", token);
        if (audiences.length > 0) {
            var a = spec.putArray("audiences");
            for (String x : audiences) a.add(x);
        }
        var body = Json.object();
        body.put("apiVersion", "authentication.k8s.io/v1");
        body.put("kind", "TokenReview");
        body.set("spec", spec);
        Response r = post("/apis/authentication.k8s.io/v1/tokenreviews", Json.string(body), adminToken);
        if (r.status() != 201) throw new AssertionError("TokenReview: " + r.status() + " " + r.body());
        return r.json();
    }

    // ---------------------------------------------------------------- kubectl

    record Run(int exit, String stdout, String stderr) {}

    /** A kubeconfig whose user authenticates with {@code token}. */
    Path kubeconfigWithToken(String token) throws IOException {
        return kubeconfig("    token: " + token + "\n");
    }

    /** A kubeconfig whose user presents a client certificate. */
    Path kubeconfigWithCertificate(Pki.Issued identity) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        return kubeconfig("    client-certificate-data: " + b64.encodeToString(Pki.pem(identity.certificate()).getBytes(StandardCharsets.UTF_8)) + "\n"
                + "    client-key-data: " + b64.encodeToString(Pki.pem(identity.key()).getBytes(StandardCharsets.UTF_8)) + "\n");
    }

    private Path kubeconfig(String userFields) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert()));
        String cfg = "apiVersion: v1\nkind: Config\nclusters:\n- name: strongroom\n  cluster:\n    server: " + server.url()
                + "\n    certificate-authority-data: " + ca + "\ncontexts:\n- name: me\n  context: {cluster: strongroom, user: me, namespace: default}\n"
                + "current-context: me\nusers:\n- name: me\n  user:\n" + userFields;
        Path p = Files.createTempFile(dir, "kubeconfig", ".yaml");
        Files.writeString(p, cfg);
        scratch.add(p);
        return p;
    }

    /** Runs {@code kubectl.<version>} against {@code kubeconfig}, HOME in the test directory (discovery cache). */
    Run kubectl(String version, Path kubeconfig, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(KUBECTL_DIR.resolve("kubectl." + version).toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("KUBECONFIG");
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
