package dev.strongroom.server.audit;

import dev.strongroom.testkit.Kubectl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed commands, run twice with real kubectl binaries, each against its own server (the two runs go in parallel
 * to keep the suite fast):
 * <ol>
 *   <li>with kubectl 1.28.15 (the reference's client), the reference's users, and a policy like the reference's
 *       (secrets at Metadata, RequestReceived omitted): the secrets events must be those of the real kube-apiserver
 *       v1.28.7 in transcript 67, field for field and in the same order, after normalising what differs from run to
 *       run;</li>
 *   <li>with kubectl 1.33 (protobuf bodies) and every request at RequestResponse, RequestReceived included, with
 *       distinctive secret values: no secret value, token or credential may appear anywhere in the audit log, in
 *       clear or in base64, while the bodies that carried them are logged with their HMACs instead.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedScenarioAuditTest {
    private static final Path REFERENCE = Path.of("src/test/java/dev/strongroom/server/audit/reference/67-audit-excerpt-secrets.jsonl");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MICRO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
    private static final Pattern CHAIN = Pattern.compile("[1-9]\\d*:[0-9a-f]{64}");

    static final String REFERENCE_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            rules:
            - level: Metadata
              resources:
              - group: ""
                resources: ["secrets"]
            - level: RequestResponse
            """;

    static final String EVERYTHING_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: RequestResponse
            """;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private CompletableFuture<List<JsonNode>> referenceRun;
    private CompletableFuture<LeakRun> leakRun;

    record LeakRun(byte[] log, Set<String> secrets, Redactor redactor, java.util.Map<String, String> values) {}

    @BeforeAll
    void runBoth() {
        referenceRun = CompletableFuture.supplyAsync(this::reference, pool);
        leakRun = CompletableFuture.supplyAsync(this::leak, pool);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    private List<JsonNode> reference() {
        try {
            Path root = Files.createTempDirectory("strongroom-audit-ref");
            Path tokens = Files.writeString(root.resolve("tokens.csv"), SeedScenario.TOKENS_CSV);
            Path policy = Files.writeString(root.resolve("policy.yaml"), REFERENCE_POLICY);
            Path log = root.resolve("audit").resolve("audit.log");
            AuditTap tap = new AuditTap();
            try (TestServer s = TestServer.start(o -> o.withTokenAuthFile(tokens).withAudit(AuditOptions.defaults()
                    .withPolicyFile(policy).withLogPath(log.toString()).withExtraBackends(List.of(tap))))) {
                Kubectl k = Kubectl.inDirectory("1.28", root, SeedScenario.kubeconfig(s, root));
                new SeedScenario(s, k, tap, x -> x, false).run();
                // The reference's load generator: creates without a User-Agent.
                assertThat(SeedScenario.rawCreateWithoutUserAgent(s, "load-0000", SeedScenario.ADMIN_TOKEN)).isEqualTo(201);
                assertThat(SeedScenario.rawCreateWithoutUserAgent(s, "load-0001", SeedScenario.ADMIN_TOKEN)).isEqualTo(201);
            } // closing the server flushes the log
            List<JsonNode> events = SeedScenario.events(log);
            Fixtures.deleteTree(root);
            return events;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private LeakRun leak() {
        try {
            Path root = Files.createTempDirectory("strongroom-audit-leak");
            Path tokens = Files.writeString(root.resolve("tokens.csv"), SeedScenario.TOKENS_CSV);
            Path policy = Files.writeString(root.resolve("policy.yaml"), EVERYTHING_POLICY);
            Path log = root.resolve("audit").resolve("audit.log");
            AuditTap tap = new AuditTap();
            // Every literal of the transcripts becomes a distinctive value, so a hit can only be a leak.
            java.util.Map<String, String> values = new java.util.HashMap<>();
            int[] n = {0};
            SeedScenario scenario;
            Redactor redactor;
            Set<String> secrets = new LinkedHashSet<>();
            try (TestServer s = TestServer.start(o -> o.withTokenAuthFile(tokens).withAudit(AuditOptions.defaults()
                    .withPolicyFile(policy).withLogPath(log.toString()).withExtraBackends(List.of(tap))))) {
                Kubectl k = Kubectl.inDirectory("1.33", root, SeedScenario.kubeconfig(s, root));
                scenario = new SeedScenario(s, k, tap, lit -> values.computeIfAbsent(lit, x -> "Sv" + (++n[0]) + "q" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "Zx"), true);
                scenario.run();
                // Not in the seed commands, but the other token-bearing body: a TokenReview.
                String tok = k.ok("create", "token", "demo-sa").stdout().strip();
                secrets.add(tok);
                assertThat(s.post("/apis/authentication.k8s.io/v1/tokenreviews",
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + tok + "\"}}").status()).isEqualTo(201);
                redactor = new Redactor(s.server.dataDirectory().ensureAuditHmacKey());
                secrets.add(s.adminToken);
            }
            secrets.addAll(scenario.secrets());
            secrets.add(SeedScenario.ADMIN_TOKEN);
            secrets.add(SeedScenario.ALICE_TOKEN);
            byte[] bytes = Files.readAllBytes(log);
            Fixtures.deleteTree(root);
            return new LeakRun(bytes, secrets, redactor, values);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void seedCommandsProduceTheReferenceEvents() throws Exception {
        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode e : referenceRun.join()) {
            if (e.path("objectRef").path("resource").asText().equals("secrets") && e.path("stage").asText().equals("ResponseComplete")) ours.add(e);
        }
        // 0–78: the kubectl commands; 79–80: the first two creates of the reference's load generator.
        List<String> refLines = Files.readAllLines(REFERENCE);
        List<String> expected = new ArrayList<>(), actual = new ArrayList<>();
        for (int i = 0; i < 81; i++) expected.add(Json.string(normalise(Json.parse(refLines.get(i).getBytes(StandardCharsets.UTF_8)), false)));
        for (JsonNode e : ours) actual.add(Json.string(normalise(e.deepCopy(), true)));
        // One event per line, so a difference shows as the event(s) that differ.
        assertThat(String.join("\n", actual)).isEqualTo(String.join("\n", expected));
    }

    @Test
    void watchesGetResponseStartedAndResponseComplete() {
        List<JsonNode> watches = referenceRun.join().stream().filter(e -> e.path("verb").asText().equals("watch")).toList();
        assertThat(watches).extracting(e -> e.path("stage").asText())
                .containsExactly("ResponseStarted", "ResponseComplete", "ResponseStarted", "ResponseComplete");
        assertThat(watches.get(0).path("auditID")).isEqualTo(watches.get(1).path("auditID"));
        assertThat(watches.get(0).path("requestReceivedTimestamp")).isEqualTo(watches.get(1).path("requestReceivedTimestamp"));
    }

    @Test
    void impersonationIsRecorded() {
        // kubectl auth can-i … --as alice: admin acting as alice, policy evaluated for admin.
        JsonNode e = referenceRun.join().stream()
                .filter(x -> x.path("objectRef").path("resource").asText().equals("selfsubjectaccessreviews") && x.has("impersonatedUser"))
                .findFirst().orElseThrow(() -> new AssertionError("no impersonated event"));
        assertThat(e.path("user").path("username").asText()).isEqualTo("admin");
        assertThat(e.path("impersonatedUser").path("username").asText()).isEqualTo("alice");
        // At RequestResponse (everything but secrets in this policy) the review's body is there.
        assertThat(e.path("level").asText()).isEqualTo("RequestResponse");
        assertThat(e.path("requestObject").path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
        assertThat(e.path("responseObject").path("status").has("allowed")).isTrue();
    }

    @Test
    void noSecretValueAnywhereInTheLogAtRequestResponse() {
        LeakRun run = leakRun.join();
        String log = new String(run.log(), StandardCharsets.UTF_8);
        // The run must really have logged bodies, or finding nothing would prove nothing.
        long withBodies = log.lines().filter(l -> l.contains("\"requestObject\"") || l.contains("\"responseObject\"")).count();
        assertThat(withBodies).as("events with bodies").isGreaterThan(50);
        assertThat(log).contains("\"kind\":\"TokenRequest\"").contains("\"kind\":\"TokenReview\"").contains("\"kind\":\"SecretList\"");
        // kubectl 1.33 sends protobuf: the creates' bodies were decoded, logged as JSON, their values as HMACs.
        JsonNode create = log.lines().map(l -> {
            try {
                return Json.parse(l.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).filter(e -> e.path("verb").asText().equals("create") && e.path("objectRef").path("name").asText().equals("my-secret")
                && e.path("stage").asText().equals("ResponseComplete") && e.path("responseStatus").path("code").asInt() == 201).findFirst().orElseThrow();
        assertThat(create.path("requestObject").path("kind").asText()).isEqualTo("Secret");
        assertThat(create.path("requestObject").path("data").path("password").asText()).startsWith(Redactor.PREFIX);
        assertThat(create.path("responseObject").path("data").path("password")).isEqualTo(create.path("requestObject").path("data").path("password"));

        List<String> leaks = new ArrayList<>();
        for (String secret : run.secrets()) {
            for (String form : forms(secret)) {
                if (form.length() >= 6 && log.contains(form)) leaks.add(form.length() > 40 ? form.substring(0, 40) + "…" : form);
            }
        }
        assertThat(leaks).as("secret values (or their base64) found in the audit log").isEmpty();

        // And they are there as HMACs, equal for equal values: my-secret's password went in as data (base64, from
        // --from-literal) and the docker registry's as a command-line value; both log as the HMAC of the same bytes.
        String passwordHmac = run.redactor().hmac(run.values().get("mypassword"));
        assertThat(countOf(log, passwordHmac)).as("HMAC of my-secret's password").isGreaterThan(3);
    }

    private static int countOf(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    /** The forms a value could leak in: as is, JSON-escaped, base64 (std and URL), and each long line of it. */
    static Set<String> forms(String v) {
        Set<String> f = new LinkedHashSet<>();
        f.add(v);
        String esc = Json.string(Json.NODES.textNode(v));
        f.add(esc.substring(1, esc.length() - 1));
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        f.add(Base64.getEncoder().encodeToString(b));
        f.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        String std = Base64.getEncoder().withoutPadding().encodeToString(b);
        if (std.length() > 8) f.add(std.substring(0, std.length() - 2)); // embedded in a longer base64 run
        for (String line : v.split("\n")) if (line.length() >= 16) f.add(line);
        return f;
    }

    /** Removes what legitimately differs between two runs, after checking its form. */
    static JsonNode normalise(JsonNode n, boolean ours) {
        ObjectNode e = (ObjectNode) n;
        assertThat(e.path("auditID").asText()).matches(UUID);
        assertThat(e.path("requestReceivedTimestamp").asText()).matches(MICRO);
        assertThat(e.path("stageTimestamp").asText()).matches(MICRO);
        assertThat(e.path("sourceIPs").size()).isPositive();
        e.put("auditID", "<id>");
        e.put("requestReceivedTimestamp", "<t>");
        e.put("stageTimestamp", "<t>");
        e.set("sourceIPs", Json.NODES.arrayNode().add("<ip>"));
        e.put("requestURI", e.path("requestURI").asText().replaceAll("resourceVersion=\\d+", "resourceVersion=<rv>"));
        ObjectNode user = (ObjectNode) e.path("user");
        if (user.path("username").asText().startsWith("system:serviceaccount:")) {
            user.put("uid", "<sa-uid>");
            // Kubernetes 1.30+ (Strongroom speaks 1.33) names the token that authenticated; 1.28 did not.
            if (user.path("extra") instanceof ObjectNode extra) {
                extra.remove("authentication.kubernetes.io/credential-id");
                if (extra.isEmpty()) user.remove("extra");
            }
        }
        if (e.path("responseStatus").path("details") instanceof ObjectNode d && d.has("uid")) d.put("uid", "<uid>");
        ObjectNode ann = (ObjectNode) e.path("annotations");
        // alice is granted get/list by two RoleBindings (36 and 37). RBAC names the first it visits, and
        // kube-apiserver visits a namespace's bindings in its informer's (unordered) order: either is right.
        String reason = ann.path("authorization.k8s.io/reason").asText();
        ann.put("authorization.k8s.io/reason", reason.replace("RoleBinding \"alice-reader-imperative/default\" of Role \"secret-reader-imperative\"",
                "RoleBinding \"read-secrets/default\" of Role \"secret-reader\""));
        if (ours) {
            assertThat(ann.path(Chain.KEY).asText()).matches(CHAIN);
            ann.remove(Chain.KEY);
        }
        return e;
    }
}
