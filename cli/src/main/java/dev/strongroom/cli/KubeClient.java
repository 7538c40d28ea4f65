package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * A read-only Kubernetes API client for CLI verbs that inspect a server (Strongroom or any cluster) through a
 * kubeconfig: the current context's server, CA, and a bearer token or client certificate.
 */
final class KubeClient {
    private final HttpClient http;
    private final String server;
    private final String token;

    private KubeClient(HttpClient http, String server, String token) {
        this.http = http;
        this.server = server;
        this.token = token;
    }

    /** Reads {@code kubeconfig}, or $KUBECONFIG, or ~/.kube/config. */
    static KubeClient fromKubeconfig(Path kubeconfig) throws IOException {
        Path file = kubeconfig;
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            file = env != null && !env.isBlank() ? Path.of(env.split(":")[0]) : Path.of(System.getProperty("user.home"), ".kube", "config");
        }
        if (!Files.exists(file)) throw new IOException("no kubeconfig at " + file + " (set --kubeconfig or KUBECONFIG)");
        JsonNode cfg = Json.YAML.readTree(file.toFile());
        String ctxName = cfg.path("current-context").asText("");
        JsonNode ctx = named(cfg.path("contexts"), ctxName).path("context");
        JsonNode cluster = named(cfg.path("clusters"), ctx.path("cluster").asText()).path("cluster");
        JsonNode user = named(cfg.path("users"), ctx.path("user").asText()).path("user");
        String server = cluster.path("server").asText("");
        if (!server.startsWith("https://")) throw new IOException("kubeconfig context " + ctxName + ": the server must be an https:// URL, got '" + server + "'");
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            TrustManager[] trust = trustManagers(cluster, file);
            ssl.init(keyManagers(user, file), trust, null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            return new KubeClient(http, server.replaceAll("/+$", ""), user.path("token").asText(null));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("kubeconfig " + file + ": " + e.getMessage(), e);
        }
    }

    JsonNode get(String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = Json.MAPPER.readTree(r.body());
            if (r.statusCode() != 200) throw new IOException("GET " + path + ": " + body.path("message").asText("HTTP " + r.statusCode()));
            return body;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode n : list) if (n.path("name").asText().equals(name)) return n;
        return Json.object();
    }

    private static byte[] data(JsonNode node, String field, Path kubeconfig) throws IOException {
        if (node.hasNonNull(field + "-data")) return Base64.getDecoder().decode(node.get(field + "-data").asText());
        if (node.hasNonNull(field)) return Files.readAllBytes(kubeconfig.toAbsolutePath().getParent().resolve(node.get(field).asText()));
        return null;
    }

    private static TrustManager[] trustManagers(JsonNode cluster, Path file) throws IOException, java.security.GeneralSecurityException {
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
            return new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) {}
                public void checkServerTrusted(X509Certificate[] c, String a) {}
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }};
        }
        byte[] ca = data(cluster, "certificate-authority", file);
        if (ca == null) return null; // the JDK's default trust store
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca))) ks.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(JsonNode user, Path file) throws IOException, java.security.GeneralSecurityException {
        byte[] cert = data(user, "client-certificate", file);
        byte[] key = data(user, "client-key", file);
        if (cert == null || key == null) return null;
        PrivateKey pk;
        try (PEMParser p = new PEMParser(new StringReader(new String(key, StandardCharsets.US_ASCII)))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) pk = conv.getKeyPair(kp).getPrivate();
            else if (o instanceof PrivateKeyInfo info) pk = conv.getPrivateKey(info);
            else throw new IOException("client-key is not a PEM private key");
        }
        Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(cert)).toArray(new Certificate[0]);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", pk, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }
}
