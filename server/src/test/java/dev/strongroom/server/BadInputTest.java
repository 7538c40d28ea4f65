package dev.strongroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.strongroom.server.TestServer.secrets;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input gets a clear Status with upstream's code, reason and message, the server keeps serving,
 * and nothing is half-written.
 */
class BadInputTest {
    static TestServer s;

    @BeforeAll
    static void start() throws Exception { s = TestServer.start(); }

    @AfterAll
    static void stop() throws Exception { s.close(); }

    private static void assertStatus(TestServer.Response r, int code, String reason, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(code);
        JsonNode st = r.json();
        assertThat(st.path("kind").asText()).isEqualTo("Status");
        assertThat(st.path("status").asText()).isEqualTo("Failure");
        assertThat(st.path("reason").asText()).isEqualTo(reason);
        assertThat(st.path("code").asInt()).isEqualTo(code);
        if (message != null) assertThat(st.path("message").asText()).isEqualTo(message);
    }

    private static void assertAbsent(String name) throws Exception {
        assertThat(s.get(secrets("default") + "/" + name).status()).isEqualTo(404);
    }

    @Test
    void invalidName() throws Exception {
        var r = s.post(secrets("default"), "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"Bad_Name\"},\"stringData\":{\"a\":\"b\"}}");
        assertStatus(r, 422, "Invalid", "Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        JsonNode cause = r.json().path("details").path("causes").get(0);
        assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");
        assertThat(cause.path("field").asText()).isEqualTo("metadata.name");
        assertThat(r.json().path("details").path("kind").asText()).isEqualTo("Secret");
        assertAbsent("Bad_Name");
    }

    @Test
    void invalidKeyAndMissingTlsKeysAreAllReported() throws Exception {
        var r = s.post(secrets("default"), "{\"metadata\":{\"name\":\"bad-key\"},\"type\":\"kubernetes.io/tls\",\"stringData\":{\"a b\":\"x\"}}");
        assertStatus(r, 422, "Invalid", "Secret \"bad-key\" is invalid: [data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), data[tls.crt]: Required value, data[tls.key]: Required value]");
        assertThat(r.json().path("details").path("causes")).hasSize(3);
        assertAbsent("bad-key");
    }

    @Test
    void badBase64() throws Exception {
        var r = s.post(secrets("default"), "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"b64\"},\"data\":{\"a\":\"not base64!\"}}");
        assertStatus(r, 400, "BadRequest", "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3");
        assertAbsent("b64");
    }

    @Test
    void moreThanOneMebibyte() throws Exception {
        String big = Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1]);
        var r = s.post(secrets("default"), "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + big + "\"}}");
        assertStatus(r, 422, "Invalid", "Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes");
        assertAbsent("big");
        // Exactly 1 MiB is allowed.
        String max = Base64.getEncoder().encodeToString(new byte[1024 * 1024]);
        assertThat(s.post(secrets("default"), "{\"metadata\":{\"name\":\"max\"},\"data\":{\"a\":\"" + max + "\"}}").status()).isEqualTo(201);
    }

    @Test
    void oversizedRequestBody() throws Exception {
        byte[] body = new byte[4 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        var r = s.request("POST", secrets("default"), "application/json", body, s.adminToken);
        assertStatus(r, 413, "RequestEntityTooLarge", null);
        assertThat(s.get("/api/v1/namespaces/default").status()).isEqualTo(200);
    }

    @Test
    void malformedJson() throws Exception {
        var r = s.post(secrets("default"), "{\"metadata\":{\"name\":\"mal\"},\"data\":{");
        assertStatus(r, 400, "BadRequest", null);
        assertThat(r.json().path("message").asText()).startsWith("Secret in version \"v1\" cannot be handled as a Secret: ");
        assertAbsent("mal");
    }

    @Test
    void duplicateFieldIsRejected() throws Exception {
        var r = s.post(secrets("default") + "?fieldValidation=Strict", "{\"metadata\":{\"name\":\"dup\"},\"type\":\"Opaque\",\"type\":\"Opaque\"}");
        assertStatus(r, 400, "BadRequest", "Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: duplicate field \"type\"");
        assertAbsent("dup");
    }

    @Test
    void unknownFieldUnderStrict() throws Exception {
        var r = s.post(secrets("default") + "?fieldValidation=Strict", "{\"metadata\":{\"name\":\"strict\",\"labelz\":{}},\"spec\":{}}");
        assertStatus(r, 400, "BadRequest", "Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: unknown field \"metadata.labelz\", unknown field \"spec\"");
        assertAbsent("strict");
        // Warn accepts and says why; Ignore (the default) drops silently.
        var warn = s.post(secrets("default") + "?fieldValidation=Warn", "{\"metadata\":{\"name\":\"warned\"},\"spec\":{}}");
        assertThat(warn.status()).isEqualTo(201);
        assertThat(warn.headers().firstValue("warning")).hasValue("299 - \"unknown field \\\"spec\\\"\"");
        assertThat(warn.json().has("spec")).isFalse();
    }

    @Test
    void unknownFieldInAPatchUnderStrict() throws Exception {
        s.post(secrets("default"), "{\"metadata\":{\"name\":\"patched-strict\"},\"stringData\":{\"k\":\"top-secret-value\"}}");
        var r = s.patch(secrets("default") + "/patched-strict?fieldValidation=Strict", "application/merge-patch+json", "{\"spec\":{\"x\":1}}");
        assertStatus(r, 422, "Invalid", "Secret \"patched-strict\" is invalid: patch: Invalid value: strict decoding error: unknown field \"spec\"");
        // The error never echoes the object, which holds secret values.
        assertThat(r.body()).doesNotContain("top-secret-value").doesNotContain("dG9wLXNlY3JldC12YWx1ZQ");
    }

    @Test
    void malformedProtobuf() throws Exception {
        byte[] truncated = {0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0c, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x06, 0x53, 0x65, 0x63};
        var r = s.request("POST", secrets("default"), "application/vnd.kubernetes.protobuf", truncated, s.adminToken);
        assertStatus(r, 400, "BadRequest", null);
        assertThat(r.json().path("message").asText()).startsWith("Secret in version \"v1\" cannot be handled as a Secret: ");
        byte[] notProtobuf = "hello".getBytes(StandardCharsets.UTF_8);
        assertStatus(s.request("POST", secrets("default"), "application/vnd.kubernetes.protobuf", notProtobuf, s.adminToken), 400, "BadRequest", null);
        assertThat(s.get("/api/v1/namespaces/default").status()).isEqualTo(200);
    }

    @Test
    void protobufCreateAsKubectl132SendsIt() throws Exception {
        // The exact body kubectl 1.32.5 sent for: create secret generic s1 --from-literal=user=admin --from-file=cfg=f.txt
        byte[] body = java.util.HexFormat.of().parseHex(("6b387300 0a0c0a027631120653656372657412 3a0a120a02733112001a00220 02a0032003800420012130a03636667120c66696c652d636f6e74656e74120d0a0475736572120561646d696e1a001a002200").replace(" ", ""));
        var r = s.request("POST", secrets("default") + "?fieldManager=kubectl-create&fieldValidation=Strict", "application/vnd.kubernetes.protobuf", body, s.adminToken);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("data").path("user").asText()).isEqualTo("YWRtaW4=");
        assertThat(r.json().path("data").path("cfg").asText()).isEqualTo("ZmlsZS1jb250ZW50");
        assertThat(r.json().path("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void missingNamespace() throws Exception {
        var r = s.post(secrets("nope"), "{\"metadata\":{\"name\":\"x\"},\"stringData\":{\"a\":\"b\"}}");
        assertStatus(r, 404, "NotFound", "namespaces \"nope\" not found");
        assertThat(r.json().path("details").path("kind").asText()).isEqualTo("namespaces");
    }

    @Test
    void namespaceMismatch() throws Exception {
        var r = s.post(secrets("default"), "{\"metadata\":{\"name\":\"x\",\"namespace\":\"kube-system\"}}");
        assertStatus(r, 400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    }

    @Test
    void typeChangeIsRefused() throws Exception {
        assertThat(s.post(secrets("default"), "{\"metadata\":{\"name\":\"typed\"},\"stringData\":{\"username\":\"u\"}}").status()).isEqualTo(201);
        var r = s.patch(secrets("default") + "/typed", "application/merge-patch+json", "{\"type\":\"kubernetes.io/basic-auth\"}");
        assertStatus(r, 422, "Invalid", "Secret \"typed\" is invalid: type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");
        assertThat(s.get(secrets("default") + "/typed").json().path("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void immutableSecretData() throws Exception {
        assertThat(s.post(secrets("default"), "{\"metadata\":{\"name\":\"imm\"},\"immutable\":true,\"stringData\":{\"k\":\"v1\"}}").status()).isEqualTo(201);
        var r = s.patch(secrets("default") + "/imm", "application/merge-patch+json", "{\"stringData\":{\"k\":\"v2\"}}");
        assertStatus(r, 422, "Invalid", "Secret \"imm\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        String stored = s.get(secrets("default") + "/imm").json().path("data").path("k").asText();
        assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8)).isEqualTo("v1");
        // Labels may still change.
        assertThat(s.patch(secrets("default") + "/imm", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}").status()).isEqualTo(200);
    }

    @Test
    void staleResourceVersion() throws Exception {
        var created = s.post(secrets("default"), "{\"metadata\":{\"name\":\"rv\"},\"stringData\":{\"a\":\"1\"}}").json();
        String rv = created.path("metadata").path("resourceVersion").asText();
        assertThat(s.put(secrets("default") + "/rv", "{\"metadata\":{\"name\":\"rv\",\"resourceVersion\":\"" + rv + "\"},\"stringData\":{\"a\":\"2\"}}").status()).isEqualTo(200);
        var r = s.put(secrets("default") + "/rv", "{\"metadata\":{\"name\":\"rv\",\"resourceVersion\":\"" + rv + "\"},\"stringData\":{\"a\":\"3\"}}");
        assertStatus(r, 409, "Conflict", "Operation cannot be fulfilled on secrets \"rv\": the object has been modified; please apply your changes to the latest version and try again");
    }

    @Test
    void unsupportedPatchType() throws Exception {
        s.post(secrets("default"), "{\"metadata\":{\"name\":\"pt\"}}");
        var r = s.patch(secrets("default") + "/pt", "text/plain", "x");
        assertStatus(r, 415, "UnsupportedMediaType", null);
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertStatus(s.get("/api/v1/namespaces/default/widgets"), 404, "NotFound", "the server could not find the requested resource");
    }

    @Test
    void badSelectors() throws Exception {
        assertStatus(s.get(secrets("default") + "?fieldSelector=data.a%3Db"), 400, "BadRequest", "field label not supported: data.a");
        assertStatus(s.get(secrets("default") + "?continue=garbage"), 400, "BadRequest", null);
    }
}
