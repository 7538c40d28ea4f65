package dev.strongroom.server.audit;

import dev.strongroom.testkit.Kubectl;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.TestServer;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The seed commands of the reference transcripts (02–61: create, get, describe, apply, patch, label, annotate, raw
 * gets, watches, RBAC, alice, service-account tokens, deletes), run with a real kubectl in the reference's order
 * against a server whose users are the reference's (admin in system:masters, alice in developers).
 *
 * <p>{@code value} maps each secret literal of the transcripts to the one to use: the identity for the comparison
 * with the reference, distinctive values for the search for leaked secrets. Every secret value and token the run
 * handles is collected in {@link #secrets()}.
 */
final class SeedScenario {
    static final String ADMIN_TOKEN = "admin-Zr8q2LwX5vNc7TbK";
    static final String ALICE_TOKEN = "alice-Hm4sY9dQe2PuWj6R";

    static final String TOKENS_CSV = ADMIN_TOKEN + ",admin,uid-admin,\"system:masters\"\n" + ALICE_TOKEN + ",alice,uid-alice,\"developers\"\n";

    static final String RBAC_YAML = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: secret-reader
              namespace: default
            rules:
            - apiGroups: [""]
              resources: ["secrets"]
              verbs: ["get", "list", "watch"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: read-secrets
              namespace: default
            subjects:
            - kind: User
              name: alice
              apiGroup: rbac.authorization.k8s.io
            roleRef:
              kind: Role
              name: secret-reader
              apiGroup: rbac.authorization.k8s.io
            """;

    private final TestServer server;
    private final Kubectl kubectl;
    private final AuditTap tap;
    private final UnaryOperator<String> value;
    private final Set<String> secrets = new LinkedHashSet<>();

    private final boolean collectStored;

    /**
     * @param collectStored also read every stored secret through the API before the deletes, to learn values kubectl
     *                      built itself (the .dockerconfigjson); it adds a list request to the log
     */
    SeedScenario(TestServer server, Kubectl kubectl, AuditTap tap, UnaryOperator<String> value, boolean collectStored) {
        this.collectStored = collectStored;
        this.server = server;
        this.kubectl = kubectl;
        this.tap = tap;
        this.value = value;
    }

    /** Every secret value and token the run handled (plain; callers add encodings). */
    Set<String> secrets() { return secrets; }

    /** The kubeconfig: admin (current) and alice ("anchor-alice"), trusting the server's CA. */
    static Path kubeconfig(TestServer s, Path dir) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(s.server.dataDirectory().caCert()));
        String kc = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: anchor
                  cluster: {server: "%s", certificate-authority-data: "%s"}
                users:
                - {name: admin, user: {token: "%s"}}
                - {name: alice, user: {token: "%s"}}
                contexts:
                - {name: anchor, context: {cluster: anchor, user: admin, namespace: default}}
                - {name: anchor-alice, context: {cluster: anchor, user: alice, namespace: default}}
                current-context: anchor
                """.formatted(s.server.url(), ca, ADMIN_TOKEN, ALICE_TOKEN);
        Path p = dir.resolve("kubeconfig");
        Files.writeString(p, kc);
        return p;
    }

    private String v(String literal) {
        String x = value.apply(literal);
        secrets.add(x);
        return x;
    }

    void run() throws Exception {
        Path work = kubectl.workDir();
        String username = v("admin"), password = v("1f2d1e2e67df");
        Files.writeString(work.resolve("username.txt"), username);
        Files.writeString(work.resolve("password.txt"), password);
        Pki.Issued ca = Pki.selfSignedCa("seed-ca", Duration.ofDays(30));
        Pki.Issued tls = Pki.issue(ca, "CN=example.com", List.of("example.com"), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(30));
        String crt = Pki.pem(tls.certificate()), key = Pki.pem(tls.key());
        secrets.add(crt);
        secrets.add(key);
        Files.writeString(work.resolve("tls.crt"), crt);
        Files.writeString(work.resolve("tls.key"), key);
        Files.writeString(work.resolve("secret-apply.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: mysecret-applied
                  labels:
                    app: demo
                type: Opaque
                stringData:
                  username: %s
                  password: %s
                """.formatted(v("admin"), v("1f2d1e2e67df")));
        Files.writeString(work.resolve("secret-apply-v2.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: mysecret-applied
                  labels:
                    app: demo
                type: Opaque
                data:
                  username: %s
                  password: %s
                """.formatted(b64(v("admin")), b64(v("new-password"))));
        Files.writeString(work.resolve("rbac.yaml"), RBAC_YAML);

        // 02–09
        kubectl.ok("create", "secret", "generic", "my-secret", "--from-literal=username=" + v("myuser"), "--from-literal=password=" + v("mypassword"));
        kubectl.ok("create", "secret", "generic", "db-user-pass", "--from-file=./username.txt", "--from-file=./password.txt");
        kubectl.ok("create", "secret", "generic", "tls-secret", "--from-file=tls.crt=./tls.crt", "--from-file=tls.key=./tls.key");
        kubectl.ok("create", "secret", "tls", "my-tls-secret", "--cert=./tls.crt", "--key=./tls.key");
        kubectl.ok("create", "secret", "docker-registry", "my-registry-secret", "--docker-server=registry.example.com",
                "--docker-username=" + v("myuser"), "--docker-password=" + v("mypassword"), "--docker-email=myuser@example.com");
        kubectl.run("create", "secret", "generic", "my-secret", "--from-literal=username=" + v("other"));
        kubectl.run("create", "secret", "generic", "My_Secret", "--from-literal=a=" + v("b"));
        kubectl.ok("create", "secret", "generic", "dry-secret", "--from-literal=a=" + v("b"), "--dry-run=server", "-o", "yaml");
        // 10–20
        kubectl.ok("get", "secrets");
        kubectl.ok("get", "secrets", "-o", "wide", "--show-labels");
        kubectl.ok("get", "secret", "my-secret", "-o", "yaml");
        kubectl.ok("get", "secret", "my-secret", "-o", "json");
        kubectl.ok("get", "secret", "my-secret", "-o", "jsonpath={.data.password}");
        kubectl.ok("get", "secret", "my-secret", "-o", "go-template={{range $k,$v := .data}}{{printf \"%s: \" $k}}{{$v | base64decode}}{{\"\\n\"}}{{end}}");
        kubectl.run("get", "secret", "does-not-exist");
        kubectl.ok("get", "secret", "my-registry-secret", "-o", "yaml");
        kubectl.ok("get", "secret", "my-tls-secret", "-o", "yaml");
        kubectl.ok("describe", "secret", "my-secret");
        kubectl.ok("describe", "secrets");
        // 21–30
        kubectl.ok("apply", "-f", "secret-apply.yaml");
        kubectl.ok("apply", "-f", "secret-apply.yaml");
        kubectl.ok("apply", "-f", "secret-apply-v2.yaml");
        kubectl.ok("get", "secret", "mysecret-applied", "-o", "yaml");
        kubectl.ok("patch", "secret", "my-secret", "-p", "{\"stringData\":{\"extra\":\"" + v("value") + "\"}}");
        kubectl.ok("label", "secret", "my-secret", "env=dev");
        kubectl.ok("annotate", "secret", "my-secret", "note=hello");
        kubectl.ok("get", "secret", "my-secret", "-o", "yaml");
        kubectl.runWithStdin("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: immutable-secret
                immutable: true
                stringData:
                  key: %s
                """.formatted(v("v1")), "apply", "-f", "-");
        kubectl.run("patch", "secret", "immutable-secret", "-p", "{\"stringData\":{\"key\":\"" + v("v2") + "\"}}");
        // 31–33
        kubectl.ok("get", "--raw", "/api/v1/namespaces/default/secrets/my-secret");
        kubectl.ok("get", "--raw", "/api/v1/namespaces/default/secrets?limit=2");
        kubectl.run("get", "--raw", "/api/v1/namespaces/default/secrets/nope");
        // 34: a watch that sees a create, a patch and a delete, stopped afterwards
        try (Kubectl.Streaming w = kubectl.start("get", "secrets", "-w")) {
            awaitWatchStarted();
            kubectl.ok("create", "secret", "generic", "watched-secret", "--from-literal=a=" + v("1"));
            kubectl.ok("patch", "secret", "watched-secret", "-p", "{\"stringData\":{\"a\":\"" + v("2") + "\"}}");
            kubectl.ok("delete", "secret", "watched-secret");
        }
        awaitWatchComplete();
        // 35
        try (Kubectl.Streaming w = kubectl.start("get", "secrets", "-w", "--output-watch-events", "--watch-only")) {
            awaitWatchStarted();
            kubectl.ok("create", "secret", "generic", "watched-secret2", "--from-literal=a=" + v("1"));
            kubectl.ok("delete", "secret", "watched-secret2");
            w.await("DELETED");
        }
        awaitWatchComplete();
        // 36–50: RBAC and alice
        kubectl.ok("apply", "-f", "rbac.yaml");
        kubectl.ok("create", "role", "secret-reader-imperative", "--verb=get,list,watch", "--resource=secrets");
        kubectl.ok("create", "rolebinding", "alice-reader-imperative", "--role=secret-reader-imperative", "--user=alice");
        kubectl.run("auth", "can-i", "get", "secrets", "--as", "alice");
        kubectl.run("auth", "can-i", "list", "secrets", "--as", "alice", "-n", "default");
        kubectl.run("auth", "can-i", "create", "secrets", "--as", "alice");
        kubectl.run("auth", "can-i", "delete", "secrets", "--as", "alice");
        kubectl.run("auth", "can-i", "get", "secrets", "--as", "alice", "-n", "kube-system");
        kubectl.run("--context", "anchor-alice", "auth", "can-i", "--list", "-n", "default");
        kubectl.run("--context", "anchor-alice", "auth", "whoami");
        kubectl.run("auth", "whoami");
        kubectl.ok("--context", "anchor-alice", "get", "secret", "my-secret", "-o", "yaml");
        kubectl.ok("--context", "anchor-alice", "get", "secrets");
        kubectl.run("--context", "anchor-alice", "create", "secret", "generic", "alice-secret", "--from-literal=a=" + v("b"));
        kubectl.run("--context", "anchor-alice", "delete", "secret", "my-secret");
        kubectl.run("--context", "anchor-alice", "get", "secrets", "-n", "kube-system");
        // 51–56: service accounts and their tokens
        kubectl.ok("create", "serviceaccount", "demo-sa");
        secrets.add(kubectl.ok("create", "token", "demo-sa").stdout().strip());
        secrets.add(kubectl.ok("create", "token", "demo-sa", "--duration=10m", "--audience=https://kubernetes.default.svc.cluster.local").stdout().strip());
        secrets.add(kubectl.ok("create", "token", "default").stdout().strip());
        String tok = kubectl.ok("create", "token", "demo-sa").stdout().strip();
        secrets.add(tok);
        Path caFile = work.resolve("ca.crt");
        Files.copy(server.server.dataDirectory().caCert(), caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        kubectl.run("--server=" + server.server.url(), "--certificate-authority=" + caFile, "--token=" + tok, "--kubeconfig=/dev/null", "auth", "whoami");
        kubectl.run("--server=" + server.server.url(), "--certificate-authority=" + caFile, "--token=" + tok, "--kubeconfig=/dev/null", "get", "secrets");
        kubectl.okWithStdin("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: demo-sa-token
                  annotations:
                    kubernetes.io/service-account.name: demo-sa
                type: kubernetes.io/service-account-token
                """, "apply", "-f", "-");
        kubectl.ok("get", "secret", "demo-sa-token", "-o", "yaml");
        if (collectStored) collectStoredValues();
        // 57–61
        kubectl.ok("delete", "secret", "db-user-pass");
        kubectl.ok("delete", "-f", "secret-apply.yaml");
        kubectl.run("delete", "secret", "db-user-pass");
        kubectl.ok("create", "secret", "generic", "lbl-a", "--from-literal=a=" + v("1"));
        kubectl.ok("label", "secret", "lbl-a", "tier=tmp");
        kubectl.ok("delete", "secret", "-l", "tier=tmp");
        kubectl.ok("get", "secrets");
    }

    private void awaitWatchStarted() throws InterruptedException {
        tap.await("a watch's ResponseStarted", e -> e.path("verb").asText().equals("watch") && e.path("stage").asText().equals("ResponseStarted"));
    }

    private void awaitWatchComplete() throws InterruptedException {
        tap.await("a watch's ResponseComplete", e -> e.path("verb").asText().equals("watch") && e.path("stage").asText().equals("ResponseComplete"));
    }

    /** Every data value the server holds now (e.g. the .dockerconfigjson kubectl built), decoded. */
    private void collectStoredValues() throws Exception {
        JsonNode list = server.get("/api/v1/namespaces/default/secrets").json();
        for (JsonNode item : list.path("items")) {
            item.path("data").fields().forEachRemaining(e -> secrets.add(new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
        }
    }

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    /**
     * A create sent without a User-Agent header, as the reference's load generator did (its events have no userAgent):
     * HTTP/1.1 over a plain TLS socket, since Java's HttpClient always adds one.
     */
    static int rawCreateWithoutUserAgent(TestServer s, String name, String token) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(s.server.dataDirectory().caCert())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},\"stringData\":{\"k\":\"v\"}}").getBytes(StandardCharsets.UTF_8);
        try (SSLSocket sock = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", s.server.port())) {
            javax.net.ssl.SSLParameters p = sock.getSSLParameters();
            p.setApplicationProtocols(new String[]{"http/1.1"});
            sock.setSSLParameters(p);
            OutputStream out = sock.getOutputStream();
            out.write(("POST /api/v1/namespaces/default/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream resp = new ByteArrayOutputStream();
            sock.getInputStream().transferTo(resp);
            String head = resp.toString(StandardCharsets.UTF_8);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    /** The audit log's lines parsed (after the server closed, so everything is written). */
    static List<JsonNode> events(Path log) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(log)) if (!l.isBlank()) out.add(Json.parse(l.getBytes(StandardCharsets.UTF_8)));
        return out;
    }
}
