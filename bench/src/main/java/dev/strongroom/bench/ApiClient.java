package dev.strongroom.bench;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Seeds and inspects the server through its API, over HTTP/2, trusting only the data directory's CA. */
final class ApiClient {
    private final HttpClient http;
    private final String base;
    private final String token;

    record Response(int status, byte[] body) {}

    ApiClient(String base, Path caCert, Path kubeconfig) throws Exception {
        this.base = base;
        this.token = tokenFrom(kubeconfig);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("strongroom-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private ApiClient(HttpClient http, String base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** The same server and trust, authenticating with another bearer token (another user). */
    ApiClient withToken(String otherToken) { return new ApiClient(http, base, otherToken); }

    /** The admin bearer token from admin.kubeconfig (the only place it is kept in the clear). */
    static String tokenFrom(Path kubeconfig) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*token:\\s*(\\S+)\\s*$").matcher(Files.readString(kubeconfig));
        if (!m.find()) throw new IllegalStateException("no token in " + kubeconfig);
        return m.group(1);
    }

    String token() { return token; }

    Response get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    Response post(String path, byte[] json) throws Exception {
        return postAsync(path, json).get();
    }

    private CompletableFuture<Response> postAsync(String path, byte[] json) {
        HttpRequest req = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> new Response(r.statusCode(), r.body()));
    }

    /** POSTs every body with at most {@code parallel} in flight; fails unless each answers 201. */
    void createAll(String path, List<byte[]> bodies, int parallel) throws Exception {
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<Response>> all = new ArrayList<>();
        for (byte[] b : bodies) {
            slots.acquire();
            all.add(postAsync(path, b).whenComplete((r, e) -> slots.release()));
        }
        for (CompletableFuture<Response> f : all) {
            Response r = f.get();
            if (r.status() != 201) throw new IllegalStateException("seeding POST " + path + " answered " + r.status() + ": " + new String(r.body()));
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }
}
