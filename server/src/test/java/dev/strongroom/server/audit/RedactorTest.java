package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every place a secret value can sit in a logged body, and what it becomes. */
class RedactorTest {
    private final Redactor r = new Redactor("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    // "mypassword" in base64
    private static final String B64 = "bXlwYXNzd29yZA==";

    private JsonNode red(String json, Redactor.Subject s) throws IOException {
        return r.redact(Json.parse(json.getBytes(StandardCharsets.UTF_8)), s);
    }

    @Test
    void dataAndStringDataGiveTheSameHmacForTheSameBytes() throws IOException {
        JsonNode n = red("{\"kind\":\"Secret\",\"data\":{\"p\":\"" + B64 + "\"},\"stringData\":{\"q\":\"mypassword\"}}", Redactor.Subject.OTHER);
        String h = r.hmac("mypassword");
        assertThat(h).matches("hmac-sha256:[0-9a-f]{64}");
        assertThat(n.path("data").path("p").asText()).isEqualTo(h);
        assertThat(n.path("stringData").path("q").asText()).isEqualTo(h);
        // Another key gives another HMAC: a log from one installation says nothing about another's values.
        assertThat(new Redactor(new byte[32]).hmac("mypassword")).isNotEqualTo(h);
    }

    @Test
    void listsTablesAndKindlessBodiesOfSecrets() throws IOException {
        assertThat(red("{\"kind\":\"SecretList\",\"items\":[{\"data\":{\"p\":\"" + B64 + "\"}}]}", Redactor.Subject.OTHER).toString()).doesNotContain(B64);
        assertThat(red("{\"kind\":\"Table\",\"rows\":[{\"cells\":[\"s\"],\"object\":{\"data\":{\"p\":\"" + B64 + "\"}}}]}", Redactor.Subject.SECRET).toString())
                .doesNotContain(B64);
        // A merge patch of a secret names no kind.
        assertThat(red("{\"stringData\":{\"extra\":\"mypassword\"}}", Redactor.Subject.SECRET).toString()).doesNotContain("mypassword");
        // A JSON patch.
        JsonNode p = red("[{\"op\":\"add\",\"path\":\"/data/p\",\"value\":\"" + B64 + "\"},{\"op\":\"replace\",\"path\":\"/stringData\",\"value\":{\"q\":\"mypassword\"}},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels/a\",\"value\":\"keep-me\"}]", Redactor.Subject.SECRET);
        assertThat(p.toString()).doesNotContain(B64).doesNotContain("mypassword").contains("keep-me");
        assertThat(p.get(0).path("value").asText()).isEqualTo(r.hmac("mypassword"));
    }

    @Test
    void theLastAppliedAnnotationIsRedactedInside() throws IOException {
        String applied = "{\\\"apiVersion\\\":\\\"v1\\\",\\\"kind\\\":\\\"Secret\\\",\\\"stringData\\\":{\\\"password\\\":\\\"mypassword\\\"}}\\n";
        JsonNode n = red("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"" + applied + "\"}}}",
                Redactor.Subject.SECRET);
        String a = n.path("metadata").path("annotations").path(Redactor.LAST_APPLIED).asText();
        assertThat(a).doesNotContain("mypassword").contains(r.hmac("mypassword")).endsWith("\n");
    }

    @Test
    void tokensOfTokenRequestsTokenReviewsAndBearers() throws IOException {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl";
        assertThat(red("{\"kind\":\"TokenRequest\",\"status\":{\"token\":\"opaque-token-1\"}}", Redactor.Subject.OTHER).path("status").path("token").asText())
                .isEqualTo(r.hmac("opaque-token-1"));
        assertThat(red("{\"spec\":{\"token\":\"opaque-token-2\"}}", Redactor.Subject.TOKEN_REVIEW).path("spec").path("token").asText())
                .isEqualTo(r.hmac("opaque-token-2"));
        JsonNode cm = red("{\"kind\":\"ConfigMap\",\"data\":{\"kubeconfig\":\"token: " + jwt + "\",\"h\":\"Authorization: Bearer abcdefgh12345678\"}}", Redactor.Subject.OTHER);
        assertThat(cm.toString()).doesNotContain(jwt).doesNotContain("abcdefgh12345678").contains("token: " + r.hmac(jwt));
    }

    @Test
    void otherObjectsAreLeftAlone() throws IOException {
        String cm = "{\"kind\":\"ConfigMap\",\"data\":{\"color\":\"blue\"},\"metadata\":{\"name\":\"c\"}}";
        assertThat(red(cm, Redactor.Subject.OTHER)).isEqualTo(Json.parse(cm.getBytes(StandardCharsets.UTF_8)));
    }
}
