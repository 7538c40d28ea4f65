package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook backend: events POSTed as {@code audit.k8s.io/v1 EventList} to the server named in a kubeconfig file
 * (kube-apiserver's {@code --audit-webhook-config-file}), in batch mode: a bounded buffer, batches of at most
 * {@code maxBatchSize} events sent when full or {@code maxWait} after their first event.
 *
 * <p>Delivery is in order and, as far as the receiver answers truthfully, exactly once: one batch is in flight at a
 * time, and a batch that failed to arrive (connection refused or reset, timeout, 5xx, 429) is retried with exponential
 * backoff (initial backoff, doubling, at most 30 s) until it is accepted; later events wait behind it in the buffer.
 * Events are lost only when the buffer overflows, when the receiver rejects a batch as malformed (other 4xx), or at
 * shutdown if it is still unreachable; every loss is counted ({@link #lost}) and logged, and shows to the receiver as
 * a gap in the sequence numbers of the chain annotation, which it can also use to discard a batch it gets twice.
 */
public final class WebhookBackend implements AuditBackend {
    private static final Logger log = LoggerFactory.getLogger(WebhookBackend.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);
    private static final byte[] LIST_HEAD = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[".getBytes(StandardCharsets.US_ASCII);
    private static final AuditEntry WAKE = new AuditEntry(new byte[0], false, null);

    private final URI url;
    private final HttpClient http;
    private final String bearer;
    private final int maxBatch;
    private final Duration maxWait;
    private final Duration initialBackoff;
    private final ArrayBlockingQueue<AuditEntry> queue;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final Chain chain = Chain.fresh();
    private final Thread sender;
    private volatile boolean running = true;
    private volatile long closeDeadline = Long.MAX_VALUE;
    private long lastDropLog;

    WebhookBackend(URI url, SSLContext ssl, String bearer, int bufferSize, int maxBatch, Duration maxWait, Duration initialBackoff) {
        this.url = url;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) b.sslContext(ssl);
        this.http = b.build();
        this.bearer = bearer;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.initialBackoff = initialBackoff.isZero() || initialBackoff.isNegative() ? Duration.ofMillis(10) : initialBackoff;
        this.queue = new ArrayBlockingQueue<>(bufferSize);
        this.sender = new Thread(this::run, "audit-webhook-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Reads the receiver's URL, CA, client certificate and token from a kubeconfig file. */
    public static WebhookBackend fromKubeconfig(Path kubeconfig, int bufferSize, int maxBatch, Duration maxWait, Duration initialBackoff) throws IOException {
        JsonNode kc = Json.YAML.readTree(Files.readAllBytes(kubeconfig));
        if (kc == null || !kc.isObject()) throw new IOException(kubeconfig + " is not a kubeconfig file");
        String current = kc.path("current-context").asText("");
        String clusterName = null, userName = null;
        for (JsonNode c : kc.path("contexts")) {
            if (current.isEmpty() || c.path("name").asText().equals(current)) {
                clusterName = c.path("context").path("cluster").asText(null);
                userName = c.path("context").path("user").asText(null);
                break;
            }
        }
        JsonNode cluster = named(kc.path("clusters"), clusterName).path("cluster");
        JsonNode user = named(kc.path("users"), userName).path("user");
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) throw new IOException(kubeconfig + ": no cluster server URL for the audit webhook");
        URI url = URI.create(server);
        Path base = kubeconfig.toAbsolutePath().getParent();
        try {
            SSLContext ssl = null;
            if (url.getScheme().equals("https")) {
                ssl = SSLContext.getInstance("TLS");
                TrustManager[] trust = null;
                if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
                    trust = new TrustManager[]{new InsecureTrust()};
                } else {
                    byte[] ca = material(cluster, "certificate-authority", base);
                    if (ca != null) trust = trustManagers(ca);
                }
                javax.net.ssl.KeyManager[] keys = null;
                byte[] cert = material(user, "client-certificate", base);
                byte[] key = material(user, "client-key", base);
                if (cert != null && key != null) keys = keyManagers(cert, key);
                ssl.init(keys, trust, null);
            }
            String token = user.path("token").asText("");
            if (token.isEmpty() && user.hasNonNull("tokenFile")) token = Files.readString(base.resolve(user.get("tokenFile").asText())).trim();
            return new WebhookBackend(url, ssl, token.isEmpty() ? null : token, bufferSize, maxBatch, maxWait, initialBackoff);
        } catch (GeneralSecurityException e) {
            throw new IOException(kubeconfig + ": cannot set up TLS for the audit webhook: " + e.getMessage(), e);
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode n : list) if (name == null || n.path("name").asText().equals(name)) return n;
        return Json.object();
    }

    /** {@code <field>-data} (base64) or {@code <field>} (a path relative to the kubeconfig). */
    private static byte[] material(JsonNode n, String field, Path base) throws IOException {
        if (n.hasNonNull(field + "-data")) return Base64.getDecoder().decode(n.get(field + "-data").asText().trim());
        if (n.hasNonNull(field)) return Files.readAllBytes(base.resolve(n.get(field).asText()));
        return null;
    }

    private static TrustManager[] trustManagers(byte[] pem) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            ks.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(byte[] certPem, byte[] keyPem) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certPem));
        PrivateKey key;
        try (PEMParser p = new PEMParser(new StringReader(new String(keyPem, StandardCharsets.UTF_8)))) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo pki) key = c.getPrivateKey(pki);
            else if (o instanceof PEMKeyPair kp) key = c.getKeyPair(kp).getPrivate();
            else throw new IOException("client-key is not a PEM private key");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }

    private static final class InsecureTrust implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    @Override
    public String describe() { return "audit webhook " + url; }

    @Override
    public long lost() { return lost.get(); }

    /** Events the receiver accepted. */
    public long delivered() { return delivered.get(); }

    /** Requests to the receiver that failed (and were retried); for monitoring. */
    public long failedAttempts() { return failedAttempts.get(); }

    /** Waits until at least {@code n} requests to the receiver have failed, or the timeout passes; returns whether they had. */
    public synchronized boolean awaitFailedAttempts(long n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (failedAttempts.get() < n) {
            long left = end - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void attemptFailed() {
        failedAttempts.incrementAndGet();
        notifyAll();
    }

    @Override
    public boolean offer(AuditEntry e) {
        if (running && queue.offer(e)) return true;
        lost.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropLog > 1_000_000_000L) {
            lastDropLog = now;
            log.error("AUDIT EVENTS DROPPED: {} buffer full ({} events); {} events lost so far", describe(), queue.size(), lost.get());
        }
        if (e.durable() != null) e.durable().completeExceptionally(new IOException(describe() + ": buffer full"));
        return false;
    }

    // ------------------------------------------------------------------------------------------------ sender

    private void run() {
        List<AuditEntry> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE) continue;
                batch.add(first);
                collect(batch);
                deliver(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long left = batch.size() + queue.stream().filter(e -> e != WAKE).count();
            if (left > 0) {
                lost.addAndGet(left);
                log.error("AUDIT EVENTS LOST at shutdown: {} events not delivered to {}", left, describe());
                for (AuditEntry e : batch) if (e.durable() != null) e.durable().completeExceptionally(new IOException("shut down"));
                for (AuditEntry e : queue) if (e.durable() != null) e.durable().completeExceptionally(new IOException("shut down"));
            }
        }
    }

    /** Fills the batch up to its size or its wait; a request waiting on an event (fail-closed) means send now. */
    private void collect(List<AuditEntry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (batch.size() < maxBatch && running) {
            if (batch.stream().anyMatch(e -> e.durable() != null)) {
                queue.drainTo(batch, maxBatch - batch.size());
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            AuditEntry e = queue.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) break;
            if (e == WAKE) break;
            batch.add(e);
        }
        if (!running) queue.drainTo(batch, maxBatch - batch.size());
        batch.removeIf(e -> e == WAKE);
    }

    private void deliver(List<AuditEntry> batch) throws InterruptedException {
        if (batch.isEmpty()) return;
        Bytes body = new Bytes(1024 * batch.size() + 128);
        body.raw(LIST_HEAD);
        Bytes line = new Bytes(2048);
        for (int i = 0; i < batch.size(); i++) {
            line.clear();
            chain.seal(batch.get(i), line);
            if (i > 0) body.ch(',');
            body.raw(lineBytesWithoutNewline(line));
        }
        body.ascii("]}");
        byte[] payload = body.toArray();
        long backoff = initialBackoff.toMillis();
        int attempt = 0;
        while (true) {
            attempt++;
            String problem;
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(payload));
                if (bearer != null) rb.header("Authorization", "Bearer " + bearer);
                HttpResponse<Void> r = http.send(rb.build(), HttpResponse.BodyHandlers.discarding());
                int sc = r.statusCode();
                if (sc >= 200 && sc < 300) {
                    delivered.addAndGet(batch.size());
                    for (AuditEntry e : batch) if (e.durable() != null) e.durable().complete(null);
                    if (attempt > 1) log.warn("{} accepted a batch of {} events after {} attempts", describe(), batch.size(), attempt);
                    return;
                }
                if (sc >= 400 && sc < 500 && sc != 408 && sc != 429) {
                    lost.addAndGet(batch.size());
                    log.error("AUDIT EVENTS LOST: {} rejected a batch of {} events with HTTP {}", describe(), batch.size(), sc);
                    for (AuditEntry e : batch) if (e.durable() != null) e.durable().completeExceptionally(new IOException("HTTP " + sc));
                    return;
                }
                problem = "HTTP " + sc;
            } catch (IOException e) {
                problem = e.toString();
            }
            attemptFailed();
            // A waiting request (fail-closed) learns now; the batch itself keeps trying.
            for (AuditEntry e : batch) {
                if (e.durable() != null && !e.durable().isDone()) e.durable().completeExceptionally(new IOException(describe() + ": " + problem));
            }
            if (attempt == 1 || attempt % 10 == 0) log.warn("{} unreachable ({}); retrying a batch of {} events (attempt {})", describe(), problem, batch.size(), attempt);
            if (!running && System.nanoTime() > closeDeadline) {
                lost.addAndGet(batch.size());
                log.error("AUDIT EVENTS LOST: {} still unreachable at shutdown; {} events not delivered", describe(), batch.size());
                batch.clear();
                return;
            }
            long until = System.nanoTime() + backoff * 1_000_000L;
            for (long now = System.nanoTime(); now < until; now = System.nanoTime()) {
                if (!running && now > closeDeadline) break;
                Thread.sleep(Math.max(1, Math.min(50, (until - now) / 1_000_000L)));
            }
            backoff = Math.min(backoff * 2, Math.max(MAX_BACKOFF.toMillis(), initialBackoff.toMillis()));
        }
    }

    private static byte[] lineBytesWithoutNewline(Bytes line) {
        byte[] b = line.toArray();
        return java.util.Arrays.copyOf(b, b.length - 1);
    }

    @Override
    public void close() {
        closeDeadline = System.nanoTime() + CLOSE_DEADLINE.toNanos();
        running = false;
        queue.offer(WAKE);
        try {
            sender.join(CLOSE_DEADLINE.toMillis() + MAX_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) sender.interrupt();
        http.close();
    }
}
