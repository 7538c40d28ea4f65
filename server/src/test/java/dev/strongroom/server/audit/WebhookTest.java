package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.TestServer;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook backend against a local HTTPS receiver that is stopped and restarted in the middle of a run: every
 * event arrives exactly once and in order (or, had the buffer overflowed, the loss would be counted: received plus
 * lost equals sent either way).
 */
class WebhookTest {
    private static final String TOKEN = "webhook-token-3k9d";

    /** A receiver that keeps every event it is sent, in arrival order. */
    static final class Receiver {
        final List<JsonNode> events = new ArrayList<>();
        final List<String> contentTypes = new ArrayList<>();
        final SSLContext ssl;
        HttpsServer server;
        int port;

        Receiver(SSLContext ssl) { this.ssl = ssl; }

        void start(int wantedPort) throws IOException {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", wantedPort), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server.createContext("/audit", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int code = 200;
                if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    code = 401;
                } else {
                    JsonNode list = Json.parse(body);
                    synchronized (this) {
                        contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
                        if (!list.path("kind").asText().equals("EventList") || !list.path("apiVersion").asText().equals("audit.k8s.io/v1")) code = 400;
                        else list.path("items").forEach(events::add);
                    }
                }
                ex.sendResponseHeaders(code, -1);
                ex.close();
            });
            server.start();
            port = server.getAddress().getPort();
        }

        /** Waits for the exchanges in progress, then closes the port. */
        void stop() { server.stop(1); }

        synchronized List<JsonNode> received() { return List.copyOf(events); }
    }

    @Test
    void aReceiverStoppedAndRestartedMidRunGetsEveryEventOnceInOrder() throws Exception {
        Path dir = Files.createTempDirectory("strongroom-webhook");
        Pki.Issued ca = Pki.selfSignedCa("receiver-ca", Duration.ofDays(1));
        Pki.Issued cert = Pki.issue(ca, "CN=receiver", List.of("127.0.0.1"), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(1));
        Receiver receiver = new Receiver(sslContext(cert, ca));
        receiver.start(0);
        Path kubeconfig = Files.writeString(dir.resolve("webhook.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: receiver
                  cluster:
                    server: https://127.0.0.1:%d/audit
                    certificate-authority-data: %s
                users:
                - name: strongroom
                  user:
                    token: %s
                contexts:
                - name: default
                  context: {cluster: receiver, user: strongroom}
                current-context: default
                """.formatted(receiver.port, Base64.getEncoder().encodeToString(Pki.pem(ca.certificate()).getBytes(StandardCharsets.UTF_8)), TOKEN));
        // Small batches and short waits so the run is quick; a 20 ms first backoff so retries come soon.
        WebhookBackend webhook = WebhookBackend.fromKubeconfig(kubeconfig, 10_000, 5, Duration.ofMillis(20), Duration.ofMillis(20));
        AuditTap tap = new AuditTap(); // what was sent, for comparison
        try (TestServer s = TestServer.start(o -> o.withAudit(AuditOptions.defaults().withLogPath("").withExtraBackends(List.of(webhook, tap))))) {
            for (int i = 0; i < 10; i++) assertThat(s.get("/api/v1/namespaces/default/secrets/missing-" + i).status()).isEqualTo(404);
            receiver.stop();
            for (int i = 0; i < 10; i++) assertThat(s.get("/api/v1/namespaces/default/secrets/while-down-" + i).status()).isEqualTo(404);
            // The receiver really was away while events were waiting for it.
            assertThat(webhook.awaitFailedAttempts(1, Duration.ofSeconds(30))).isTrue();
            receiver.start(receiver.port);
            for (int i = 0; i < 10; i++) assertThat(s.get("/api/v1/namespaces/default/secrets/after-" + i).status()).isEqualTo(404);
        } // closing the server flushes the webhook (it waits for the receiver)
        receiver.stop();

        List<JsonNode> got = receiver.received();
        List<String> sent = tap.lines();
        assertThat(got.size() + webhook.lost()).as("received + lost = sent").isEqualTo(sent.size());
        assertThat(webhook.lost()).as("nothing had to be dropped: the buffer was large enough").isZero();
        // Exactly once, in order: the chain's sequence numbers are 1..n without gap or repeat ...
        List<Long> seqs = got.stream().map(e -> Long.parseLong(e.path("annotations").path(Chain.KEY).asText().split(":")[0])).toList();
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= sent.size(); i++) expected.add(i);
        assertThat(seqs).isEqualTo(expected);
        // ... and they are the events that were sent, in the order they were sent.
        for (int i = 0; i < sent.size(); i++) {
            JsonNode want = Json.parse(sent.get(i).getBytes(StandardCharsets.UTF_8));
            assertThat(got.get(i).path("auditID")).isEqualTo(want.path("auditID"));
            assertThat(got.get(i).path("stage")).isEqualTo(want.path("stage"));
            assertThat(got.get(i).path("requestURI")).isEqualTo(want.path("requestURI"));
        }
        assertThat(got.stream().map(e -> e.path("requestURI").asText()).filter(u -> u.contains("while-down")).count()).isEqualTo(10);
        assertThat(receiver.contentTypes).allMatch("application/json"::equals);
        Fixtures.deleteTree(dir);
    }

    @Test
    void theWebhookFlagBuildsAWebhookBackend() throws Exception {
        Path dir = Files.createTempDirectory("strongroom-webhook-flag");
        Path kc = Files.writeString(dir.resolve("kc"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: r, cluster: {server: "https://127.0.0.1:1/audit", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: r, user: u}}]
                current-context: c
                """);
        try (AuditLog audit = AuditLog.start(AuditOptions.defaults().withLogPath("").withWebhook(kc, 100, 10, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new DataDirectory(dir.resolve("data")))) {
            assertThat(audit.backends()).hasSize(1);
            assertThat(audit.backends().get(0).describe()).isEqualTo("audit webhook https://127.0.0.1:1/audit");
        }
        Fixtures.deleteTree(dir);
    }

    static SSLContext sslContext(Pki.Issued cert, Pki.Issued ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("receiver", cert.key(), new char[0], new Certificate[]{cert.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
