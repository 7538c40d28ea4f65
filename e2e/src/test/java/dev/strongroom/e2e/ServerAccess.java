package dev.strongroom.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * What a client needs to talk to a server whose data directory it can read: the CA from {@code pki/ca.crt} and the
 * admin bearer token from {@code admin.kubeconfig} — the same two things kubectl uses.
 */
final class ServerAccess {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final String url;
    private final String token;
    private final HttpClient client;

    ServerAccess(Path dataDir, String url) {
        this.dataDir = dataDir;
        this.url = url;
        this.token = adminToken(dataDir.resolve("admin.kubeconfig"));
        this.client = HttpClient.newBuilder()
                .sslContext(trusting(dataDir.resolve("pki").resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    String url() { return url; }

    String token() { return token; }

    HttpClient client() { return client; }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> send(HttpRequest r) {
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (HTTP " + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** The admin token as the server wrote it into admin.kubeconfig on first start. */
    static String adminToken(Path kubeconfig) {
        JsonNode users = readYaml(kubeconfig).path("users");
        for (JsonNode u : users) {
            String t = u.path("user").path("token").asText("");
            if (!t.isEmpty()) return t;
        }
        throw new AssertionError(kubeconfig + " holds no user token");
    }

    /** The {@code clusters[0].cluster.server} of a kubeconfig. */
    static String serverOf(Path kubeconfig) {
        return readYaml(kubeconfig).path("clusters").path(0).path("cluster").path("server").asText();
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("strongroom-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caFile, e);
        }
    }

    Path dataDir() { return dataDir; }
}
