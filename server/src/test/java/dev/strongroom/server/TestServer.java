package dev.strongroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;

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
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real server on a free port in a temporary data directory, and an HTTPS client that talks to it as admin. */
public final class TestServer implements AutoCloseable {
    public final Path dir;
    public final StrongroomServer server;
    public final HttpClient http;
    public final String adminToken;

    private TestServer(Path dir, StrongroomServer server, HttpClient http, String adminToken) {
        this.dir = dir;
        this.server = server;
        this.http = http;
        this.adminToken = adminToken;
    }

    public static TestServer start() throws Exception {
        return start((Path) null);
    }

    public static TestServer start(Path tokenFile) throws Exception {
        return start(o -> o.withTokenAuthFile(tokenFile));
    }

    /** A server whose options {@code configure} adjusts (defaults: free port, temporary data directory). */
    public static TestServer start(java.util.function.UnaryOperator<ServerOptions> configure) throws Exception {
        Path dir = Files.createTempDirectory("strongroom-test");
        StrongroomServer s = StrongroomServer.start(configure.apply(ServerOptions.defaults(dir).withPort(0)));
        String kubeconfig = Files.readString(s.dataDirectory().adminKubeconfig());
        String token = kubeconfig.lines().filter(l -> l.trim().startsWith("token:")).findFirst().orElseThrow()
                .trim().substring("token:".length()).trim();
        return new TestServer(dir, s, client(s.dataDirectory().caCert()), token);
    }

    static HttpClient client(Path caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Response request(String method, String path, String contentType, byte[] body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    public Response get(String path) throws Exception { return request("GET", path, null, null, adminToken); }

    public Response post(String path, String json) throws Exception {
        return request("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), adminToken);
    }

    public Response put(String path, String json) throws Exception {
        return request("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8), adminToken);
    }

    public Response patch(String path, String contentType, String body) throws Exception {
        return request("PATCH", path, contentType, body.getBytes(StandardCharsets.UTF_8), adminToken);
    }

    public Response delete(String path) throws Exception { return request("DELETE", path, null, null, adminToken); }

    public static String secrets(String ns) { return "/api/v1/namespaces/" + ns + "/secrets"; }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
