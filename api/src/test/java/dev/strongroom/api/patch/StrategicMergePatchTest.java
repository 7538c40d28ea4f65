package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.codec.Schema;
import org.junit.jupiter.api.Test;

import static dev.strongroom.api.patch.JsonMergePatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategicMergePatchTest {

    private static final Schema.Struct SECRET = KindSchemas.of("v1", "Secret");
    private static final Schema.Struct SA = KindSchemas.of("v1", "ServiceAccount");
    private static final Schema.Struct NS = KindSchemas.of("v1", "Namespace");
    private static final Schema.Struct ROLE = KindSchemas.of("rbac.authorization.k8s.io/v1", "Role");

    private static JsonNode smp(String original, String patch, Schema.Struct schema) throws Exception {
        return StrategicMergePatch.apply(json(original), json(patch), schema);
    }

    // ---- the bodies kubectl sent (reference section 8.3) ----

    @Test
    void applyUpdateOfASecret() throws Exception {
        JsonNode out = smp("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"app-secret\",\"namespace\":\"default\","
                        + "\"labels\":{\"app\":\"demo\"},\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"old\\n\"}},"
                        + "\"data\":{\"password\":\"czNjcjN0\",\"token\":\"dG9rZW4=\"},\"type\":\"Opaque\"}",
                "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"new\\n\"},"
                        + "\"labels\":{\"app\":\"demo2\"}},\"stringData\":{\"password\":\"newpass\"}}", SECRET);
        assertThat(out).isEqualTo(json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"app-secret\",\"namespace\":\"default\","
                + "\"labels\":{\"app\":\"demo2\"},\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"new\\n\"}},"
                + "\"data\":{\"password\":\"czNjcjN0\",\"token\":\"dG9rZW4=\"},\"type\":\"Opaque\",\"stringData\":{\"password\":\"newpass\"}}"));
    }

    @Test
    void edit() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"name\":\"s1\",\"labels\":{\"a\":\"b\"}},\"data\":{\"cfg\":\"eA==\",\"token\":\"b2xk\"}}",
                "{\"data\":{\"token\":\"ZWRpdGVk\"},\"metadata\":{\"labels\":{\"edited\":\"yes\"}}}", SECRET);
        assertThat(out).isEqualTo(json("{\"metadata\":{\"name\":\"s1\",\"labels\":{\"a\":\"b\",\"edited\":\"yes\"}},"
                + "\"data\":{\"cfg\":\"eA==\",\"token\":\"ZWRpdGVk\"}}"));
    }

    @Test
    void applyUpdateOfARoleReplacesTheRules() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"list\"]},"
                        + "{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"verbs\":[\"get\"]}]}",
                "{\"metadata\":{\"annotations\":{\"x\":\"y\"}},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}", ROLE);
        assertThat(out.get("rules")).isEqualTo(json("[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]"));
    }

    @Test
    void applyUpdateOfAServiceAccount() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"name\":\"sa\"},\"secrets\":[{\"name\":\"s-one\"},{\"name\":\"s-two\"}]}",
                "{\"$setElementOrder/secrets\":[{\"name\":\"s-three\"},{\"name\":\"s-two\"}],\"metadata\":{\"labels\":{\"l\":\"v\"}},"
                        + "\"secrets\":[{\"name\":\"s-three\"},{\"$patch\":\"delete\",\"name\":\"s-one\"}]}", SA);
        assertThat(out).isEqualTo(json("{\"metadata\":{\"name\":\"sa\",\"labels\":{\"l\":\"v\"}},"
                + "\"secrets\":[{\"name\":\"s-three\"},{\"name\":\"s-two\"}]}"));
    }

    // ---- merge lists ----

    @Test
    void ownerReferencesMergeByUid() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"ownerReferences\":[{\"uid\":\"a\",\"name\":\"x\",\"kind\":\"K\"},{\"uid\":\"b\",\"name\":\"y\"}]}}",
                "{\"metadata\":{\"ownerReferences\":[{\"uid\":\"a\",\"name\":\"x2\"},{\"uid\":\"c\",\"name\":\"z\"},"
                        + "{\"uid\":\"b\",\"$patch\":\"delete\"}]}}", SECRET);
        assertThat(out.at("/metadata/ownerReferences")).isEqualTo(json(
                "[{\"uid\":\"a\",\"name\":\"x2\",\"kind\":\"K\"},{\"uid\":\"c\",\"name\":\"z\"}]"));
    }

    @Test
    void namespaceConditionsMergeByType() throws Exception {
        JsonNode out = smp("{\"status\":{\"phase\":\"Terminating\",\"conditions\":[{\"type\":\"A\",\"status\":\"True\"},{\"type\":\"B\",\"status\":\"False\"}]}}",
                "{\"status\":{\"conditions\":[{\"type\":\"B\",\"status\":\"True\",\"reason\":\"R\"}]}}", NS);
        assertThat(out.at("/status/conditions")).isEqualTo(json(
                "[{\"type\":\"A\",\"status\":\"True\"},{\"type\":\"B\",\"status\":\"True\",\"reason\":\"R\"}]"));
    }

    @Test
    void finalizersAreASetOfPrimitives() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"finalizers\":[\"c\",\"b\"]}}",
                "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}", SECRET);
        assertThat(out.at("/metadata/finalizers")).isEqualTo(json("[\"a\",\"c\",\"b\"]"));

        out = smp("{\"metadata\":{\"finalizers\":[\"c\",\"b\"]}}",
                "{\"metadata\":{\"$setElementOrder/finalizers\":[\"b\",\"a\"],\"finalizers\":[\"a\"],"
                        + "\"$deleteFromPrimitiveList/finalizers\":[\"c\"]}}", SECRET);
        assertThat(out.at("/metadata/finalizers")).isEqualTo(json("[\"b\",\"a\"]"));
        assertThat(out.toString()).doesNotContain("$");
    }

    @Test
    void namespaceSpecFinalizersAreAtomic() throws Exception {
        assertThat(smp("{\"spec\":{\"finalizers\":[\"kubernetes\",\"x\"]}}", "{\"spec\":{\"finalizers\":[\"y\"]}}", NS)
                .at("/spec/finalizers")).isEqualTo(json("[\"y\"]"));
    }

    @Test
    void setElementOrderReordersWithoutChangingContent() throws Exception {
        JsonNode out = smp("{\"secrets\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]}",
                "{\"$setElementOrder/secrets\":[{\"name\":\"c\"},{\"name\":\"a\"},{\"name\":\"b\"}]}", SA);
        assertThat(out.get("secrets")).isEqualTo(json("[{\"name\":\"c\"},{\"name\":\"a\"},{\"name\":\"b\"}]"));
    }

    @Test
    void listReplaceDirective() throws Exception {
        JsonNode out = smp("{\"secrets\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
                "{\"secrets\":[{\"$patch\":\"replace\"},{\"name\":\"only\"}]}", SA);
        assertThat(out.get("secrets")).isEqualTo(json("[{\"name\":\"only\"}]"));
    }

    // ---- maps ----

    @Test
    void nullDeletesAndUnmatchedNullsAreIgnored() throws Exception {
        JsonNode out = smp("{\"data\":{\"a\":\"YQ==\",\"b\":\"Yg==\"}}", "{\"data\":{\"a\":null,\"zz\":null},\"immutable\":null}", SECRET);
        assertThat(out).isEqualTo(json("{\"data\":{\"b\":\"Yg==\"}}"));
    }

    @Test
    void mapDirectives() throws Exception {
        assertThat(smp("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}",
                "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"c\":\"3\"}}}", SECRET).at("/metadata/labels"))
                .isEqualTo(json("{\"c\":\"3\"}"));
        assertThat(smp("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}",
                "{\"metadata\":{\"labels\":{\"$patch\":\"delete\"}}}", SECRET).at("/metadata/labels"))
                .isEqualTo(json("{}"));
    }

    @Test
    void retainKeys() throws Exception {
        assertThat(smp("{\"data\":{\"a\":\"YQ==\",\"b\":\"Yg==\",\"c\":\"Yw==\"}}",
                "{\"data\":{\"$retainKeys\":[\"a\",\"b\"],\"b\":\"Qg==\"}}", SECRET).get("data"))
                .isEqualTo(json("{\"a\":\"YQ==\",\"b\":\"Qg==\"}"));
        assertThatThrownBy(() -> smp("{\"data\":{}}", "{\"data\":{\"$retainKeys\":[\"a\"],\"b\":\"Qg==\"}}", SECRET))
                .hasMessage("invalid patch format of retainKeys").extracting(e -> ((PatchException) e).code()).isEqualTo(400);
    }

    /** Upstream would store these verbatim; directives must never reach the object. */
    @Test
    void directivesInsideNewContentAreApplied() throws Exception {
        JsonNode out = smp("{\"metadata\":{\"name\":\"x\"}}",
                "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"a\":\"b\"},"
                        + "\"ownerReferences\":[{\"$patch\":\"delete\",\"uid\":\"gone\"},{\"uid\":\"kept\",\"name\":\"n\"}],"
                        + "\"$setElementOrder/finalizers\":[\"f\"],\"finalizers\":[\"f\"],\"$deleteFromPrimitiveList/finalizers\":[\"g\"]}}",
                SECRET);
        assertThat(out).isEqualTo(json("{\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":\"b\"},"
                + "\"ownerReferences\":[{\"uid\":\"kept\",\"name\":\"n\"}],\"finalizers\":[\"f\"]}}"));
    }

    @Test
    void typeChangesReplace() throws Exception {
        assertThat(smp("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}", "{\"metadata\":{\"labels\":\"oops\"}}", SECRET).at("/metadata/labels").asText())
                .isEqualTo("oops");
    }

    // ---- errors, with upstream's text and status ----

    @Test
    void mergeDirectiveIsRejected() {
        assertThatThrownBy(() -> smp("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}", "{\"metadata\":{\"labels\":{\"$patch\":\"merge\"}}}", SECRET))
                .hasMessage("unknown patch type: merge in map: map[$patch:merge]");
        assertThatThrownBy(() -> smp("{\"secrets\":[{\"name\":\"a\"}]}", "{\"secrets\":[{\"$patch\":\"merge\"}]}", SA))
                .hasMessage("merging lists cannot yet be specified in the patch");
    }

    @Test
    void missingMergeKey() {
        assertThatThrownBy(() -> smp("{\"secrets\":[{\"name\":\"a\"}]}", "{\"secrets\":[{\"kind\":\"Secret\"}]}", SA))
                .hasMessage("map: map[kind:Secret] does not contain declared merge key: name")
                .extracting(e -> ((PatchException) e).code()).isEqualTo(500);
    }

    @Test
    void badDirectiveFormats() {
        assertThatThrownBy(() -> smp("{}", "{\"$deleteFromPrimitiveList\":[\"a\"]}", SECRET))
                .hasMessage("invalid patch format of primitive list");
        assertThatThrownBy(() -> smp("{\"secrets\":[{\"name\":\"a\"}]}",
                "{\"$setElementOrder/secrets\":[{\"name\":\"a\"}],\"secrets\":[{\"name\":\"b\"}]}", SA))
                .hasMessageStartingWith("The order in patch list:\n[map[name:b]]\n doesn't match $setElementOrder list:");
    }

    @Test
    void listsOfListsAndMixedLists() {
        assertThatThrownBy(() -> smp("{\"metadata\":{\"finalizers\":[\"a\"]}}", "{\"metadata\":{\"finalizers\":[[\"b\"]]}}", SECRET))
                .hasMessage("list element types are not identical: [[a] [[b]]]");
        assertThatThrownBy(() -> smp("{\"metadata\":{\"finalizers\":[[\"a\"]]}}", "{\"metadata\":{\"finalizers\":[[\"b\"]]}}", SECRET))
                .hasMessage("lists of lists are not supported").extracting(e -> ((PatchException) e).code()).isEqualTo(422);
    }

    @Test
    void thePatchMustBeAnObject() {
        assertThatThrownBy(() -> smp("{}", "[]", SECRET))
                .hasMessage("json: cannot unmarshal array into Go value of type map[string]interface {}")
                .extracting(e -> ((PatchException) e).code()).isEqualTo(400);
    }

    @Test
    void inputsAreNotModified() throws Exception {
        JsonNode original = json("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}");
        JsonNode patch = json("{\"metadata\":{\"labels\":{\"a\":null}}}");
        StrategicMergePatch.apply(original, patch, SECRET);
        assertThat(original).isEqualTo(json("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}"));
        assertThat(patch).isEqualTo(json("{\"metadata\":{\"labels\":{\"a\":null}}}"));
    }
}
