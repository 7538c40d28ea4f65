package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event details not covered by the seed scenario, against a real server: the default policy, the Audit-Id header,
 * failed authentication, proxies' addresses, request bodies of patches and malformed bodies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventDetailsTest {
    private final AuditTap defaults = new AuditTap();
    private final AuditTap bodies = new AuditTap();
    private TestServer plain;    // the default policy
    private TestServer detailed; // secrets at RequestResponse
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("strongroom-audit-details");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                - level: RequestResponse
                  omitManagedFields: true
                  resources: [{group: "", resources: ["secrets"]}]
                - level: Metadata
                """);
        plain = TestServer.start(o -> o.withAudit(AuditOptions.defaults().withExtraBackends(List.of(defaults))));
        detailed = TestServer.start(o -> o.withAudit(AuditOptions.defaults().withPolicyFile(policy).withExtraBackends(List.of(bodies))));
    }

    @AfterAll
    void stop() throws Exception {
        plain.close();
        detailed.close();
        Fixtures.deleteTree(dir);
    }

    @Test
    void theDefaultPolicyLogsSecretsAtMetadataAndNotHealthProbes() throws Exception {
        assertThat(plain.get("/healthz").status()).isEqualTo(200);
        assertThat(plain.post(TestServer.secrets("default"), "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"d1\"},\"stringData\":{\"p\":\"default-policy-value\"}}").status()).isEqualTo(201);
        JsonNode e = defaults.await("the create", x -> x.path("verb").asText().equals("create"));
        assertThat(e.path("level").asText()).isEqualTo("Metadata");
        assertThat(e.has("requestObject")).isFalse();
        assertThat(e.has("responseObject")).isFalse();
        assertThat(e.path("stage").asText()).isEqualTo("ResponseComplete");
        assertThat(defaults.lines()).noneMatch(l -> l.contains("/healthz")).noneMatch(l -> l.contains("default-policy-value"))
                .noneMatch(l -> l.contains("\"stage\":\"RequestReceived\""));
        // And the file is where the documentation says, 0600 in a 0700 directory.
        Path log = plain.server.dataDirectory().auditLog();
        assertThat(Files.getPosixFilePermissions(log)).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(log.getParent())).hasSize(3);
    }

    @Test
    void theEventCarriesTheAuditIdSentToTheClient() throws Exception {
        TestServer.Response r = plain.get("/api/v1/namespaces/default/secrets/nothing-here");
        String id = r.headers().firstValue("Audit-Id").orElseThrow();
        JsonNode e = defaults.await("the get", x -> x.path("auditID").asText().equals(id));
        assertThat(e.path("responseStatus").path("code").asInt()).isEqualTo(404);
        assertThat(e.path("responseStatus").path("reason").asText()).isEqualTo("NotFound");
    }

    @Test
    void aFailedAuthenticationIsOneResponseStartedEvent() throws Exception {
        TestServer.Response r = plain.request("GET", "/api/v1/namespaces/default/secrets/x", null, null, "not-a-valid-token");
        assertThat(r.status()).isEqualTo(401);
        String id = r.headers().firstValue("Audit-Id").orElseThrow();
        JsonNode e = defaults.await("the 401", x -> x.path("auditID").asText().equals(id));
        assertThat(e.path("stage").asText()).isEqualTo("ResponseStarted");
        assertThat(e.path("user").size()).isZero();
        assertThat(e.path("verb").asText()).isEqualTo("get");
        assertThat(Json.string(e.path("responseStatus")))
                .isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
        assertThat(e.has("annotations")).isTrue(); // just the chain
        assertThat(e.path("annotations").size()).isEqualTo(1);
        assertThat(defaults.lines().stream().filter(l -> l.contains(id)).count()).isEqualTo(1);
    }

    @Test
    void sourceIpsListProxiesThenTheConnection() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(plain.server.url() + "/version"))
                .header("Authorization", "Bearer " + plain.adminToken)
                .header("X-Forwarded-For", "203.0.113.7, not-an-ip, 2001:db8:0:0:0:0:0:1")
                .header("X-Real-Ip", "203.0.113.7").GET().build();
        HttpResponse<String> r = plain.http.send(req, HttpResponse.BodyHandlers.ofString());
        String id = r.headers().firstValue("Audit-Id").orElseThrow();
        JsonNode e = defaults.await("the /version", x -> x.path("auditID").asText().equals(id));
        assertThat(Json.string(e.path("sourceIPs"))).isEqualTo("[\"203.0.113.7\",\"2001:db8::1\",\"127.0.0.1\"]");
        assertThat(e.has("objectRef")).isFalse();
        assertThat(e.path("verb").asText()).isEqualTo("get");
    }

    @Test
    void aPatchOfASecretIsLoggedWithItsValuesAsHmacs() throws Exception {
        String secrets = TestServer.secrets("default");
        assertThat(detailed.post(secrets, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"p1\"},\"data\":{\"k\":\"" + b64("first-value-1") + "\"}}").status()).isEqualTo(201);
        TestServer.Response patched = detailed.patch(secrets + "/p1", "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"" + b64("second-value-2") + "\"}]");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("metadata").has("managedFields")).as("the client gets managedFields").isTrue();
        JsonNode e = bodies.await("the patch", x -> x.path("verb").asText().equals("patch"));
        assertThat(e.path("level").asText()).isEqualTo("RequestResponse");
        String hmac = detailed.server.dataDirectory().auditHmacKeyFile().toFile().exists()
                ? new Redactor(detailed.server.dataDirectory().ensureAuditHmacKey()).hmac("second-value-2") : null;
        assertThat(e.path("requestObject").get(0).path("value").asText()).isEqualTo(hmac);
        assertThat(e.path("responseObject").path("data").path("k").asText()).isEqualTo(hmac);
        assertThat(e.path("responseObject").path("metadata").has("managedFields")).as("omitManagedFields: true").isFalse();
        assertThat(e.path("responseObject").path("metadata").path("name").asText()).isEqualTo("p1");
        assertThat(bodies.lines()).noneMatch(l -> l.contains("first-value-1") || l.contains(b64("first-value-1"))
                || l.contains("second-value-2") || l.contains(b64("second-value-2")));
    }

    @Test
    void aMalformedSecretBodyLeavesNoValueInTheEvent() throws Exception {
        // An unquoted value in a create: the decoder's message names only the first character.
        TestServer.Response r = detailed.request("POST", TestServer.secrets("default"), "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad\"},\"stringData\":{\"p\":unquotedSecretValue}}".getBytes(StandardCharsets.UTF_8),
                detailed.adminToken);
        assertThat(r.status()).isEqualTo(400);
        String id = r.headers().firstValue("Audit-Id").orElseThrow();
        JsonNode e = bodies.await("the 400", x -> x.path("auditID").asText().equals(id));
        assertThat(e.path("responseStatus").path("code").asInt()).isEqualTo(400);
        assertThat(e.has("requestObject")).as("a body that did not decode is not logged").isFalse();
        assertThat(bodies.lines()).noneMatch(l -> l.contains("unquotedSecretValue"));

        // A patch that does not parse: nothing of it in the event either. (The server's decoders quote at most one
        // character of a bad body; the audit trail would still replace a longer quoted fragment by its HMAC.)
        assertThat(detailed.post(TestServer.secrets("default"), "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad2\"}}").status()).isEqualTo(201);
        TestServer.Response p = detailed.patch(TestServer.secrets("default") + "/bad2", "application/merge-patch+json",
                "{\"stringData\":{\"p\":anotherUnquotedValue}}");
        assertThat(p.status()).isEqualTo(400);
        String pid = p.headers().firstValue("Audit-Id").orElseThrow();
        JsonNode pe = bodies.await("the patch's 400", x -> x.path("auditID").asText().equals(pid));
        assertThat(pe.path("responseStatus").path("code").asInt()).isEqualTo(400);
        assertThat(bodies.lines()).noneMatch(l -> l.contains("anotherUnquotedValue"));
    }

    static String b64(String s) { return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
}
