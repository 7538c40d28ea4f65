package dev.strongroom.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsTest {

    private static final Instant T1 = Instant.parse("2026-11-22T16:41:01Z");
    private static final Instant T2 = Instant.parse("2026-11-22T16:41:04.517Z");

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The JSON object on the line of a transcript that starts with {@code prefix}. */
    private static JsonNode transcript(String file, String prefix) throws IOException {
        try (InputStream in = ManagedFieldsTest.class.getResourceAsStream("/kube-apiserver/" + file)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(prefix)) return Json.parse(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in " + file);
    }

    /** What the server stores: the new object with its managedFields (and the fields the server owns). */
    private static ObjectNode stored(ObjectNode obj, ArrayNode managedFields) {
        ObjectNode s = obj.deepCopy();
        ObjectNode meta = (ObjectNode) s.get("metadata");
        meta.put("uid", "9aceba87-ae76-4961-8e3b-1e61732ec98e").put("resourceVersion", "200").put("creationTimestamp", "2026-11-22T16:41:01Z");
        if (managedFields == null) meta.remove("managedFields");
        else meta.set("managedFields", managedFields);
        return s;
    }

    /**
     * Transcript 31: create (kubectl-create), patch stringData (kubectl-patch), label (kubectl-label), annotate
     * (kubectl-annotate) on a real kube-apiserver, and the managedFields it then returned, byte for byte.
     */
    @Test
    void transcript31CreatePatchLabelAnnotate() throws IOException {
        JsonNode expected = transcript("31-raw-get.txt", "{").at("/metadata/managedFields");

        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"my-secret\",\"namespace\":\"default\","
                + "\"creationTimestamp\":null},\"data\":{\"password\":\"bXlwYXNzd29yZA==\",\"username\":\"bXl1c2Vy\"},\"type\":\"Opaque\"}");
        ObjectNode s1 = stored(created, ManagedFields.update(null, created, "kubectl-create", "v1", T1));

        ObjectNode patched = s1.deepCopy(); // the merge patch {"stringData":{"extra":"value"}}, converted into data
        ((ObjectNode) patched.get("data")).put("extra", "dmFsdWU=");
        ObjectNode s2 = stored(patched, ManagedFields.update(s1, patched, "kubectl-patch", "v1", T2));

        ObjectNode labelled = s2.deepCopy();
        ((ObjectNode) labelled.get("metadata")).putObject("labels").put("env", "dev");
        ObjectNode s3 = stored(labelled, ManagedFields.update(s2, labelled, "kubectl-label", "v1", T2));

        ObjectNode annotated = s3.deepCopy();
        ((ObjectNode) annotated.get("metadata")).putObject("annotations").put("note", "hello");
        ArrayNode mf = ManagedFields.update(s3, annotated, "kubectl-annotate", "v1", T2);

        assertThat(Json.string(mf)).isEqualTo(Json.string(expected));
    }

    /** Transcript 74: a curl POST with stringData, converted to data and defaulted to Opaque before the field manager. */
    @Test
    void transcript74CreateWithStringData() throws IOException {
        String body = String.join("\n", new String(ManagedFieldsTest.class.getResourceAsStream(
                "/kube-apiserver/74-raw-201-create-stringdata.txt").readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        JsonNode response = Json.parse(body.substring(body.indexOf("\n{") + 1, body.lastIndexOf('}') + 1).getBytes(StandardCharsets.UTF_8));
        ObjectNode created = json("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"raw-created\",\"namespace\":\"default\"},"
                + "\"data\":{\"a\":\"Yg==\"},\"type\":\"Opaque\"}");
        ArrayNode mf = ManagedFields.update(null, created, "curl", "v1", Instant.parse("2026-11-22T16:57:58Z"));
        assertThat(mf).isEqualTo(response.at("/metadata/managedFields"));
    }

    /** Transcript 32: a client-side-apply create (annotation included) and a create from files with dotted keys. */
    @Test
    void transcript32ApplyCreateAndFromFile() throws IOException {
        JsonNode list = transcript("32-raw-list-limit.txt", "{");
        ObjectNode csa = json("{\"apiVersion\":\"v1\",\"immutable\":true,\"kind\":\"Secret\",\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/last-applied-configuration\":\"x\\n\"},\"name\":\"immutable-secret\",\"namespace\":\"default\"},"
                + "\"data\":{\"key\":\"djE=\"},\"type\":\"Opaque\"}");
        assertThat(ManagedFields.update(null, csa, "kubectl-client-side-apply", "v1", Instant.parse("2026-11-22T16:41:04Z")))
                .isEqualTo(list.at("/items/1/metadata/managedFields"));
        ObjectNode fromFile = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db-user-pass\",\"creationTimestamp\":null},"
                + "\"data\":{\"password.txt\":\"UyFCXCpkJHpEc2I9\",\"username.txt\":\"YWRtaW4=\"},\"type\":\"Opaque\"}");
        assertThat(ManagedFields.update(null, fromFile, "kubectl-create", "v1", T1)).isEqualTo(list.at("/items/0/metadata/managedFields"));
    }

    @Test
    void namespaceCreateRecordsTheDefaultedLabelButNotStatus() {
        ObjectNode ns = json("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"team-a\",\"creationTimestamp\":null,"
                + "\"labels\":{\"kubernetes.io/metadata.name\":\"team-a\"}},\"spec\":{},\"status\":{\"phase\":\"Active\"}}");
        assertThat(fields(ManagedFields.update(null, ns, "kubectl-create", "v1", T1), 0))
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:kubernetes.io/metadata.name\":{}}}}");
    }

    @Test
    void rbacAtomicFields() {
        String rbac = "rbac.authorization.k8s.io/v1";
        ObjectNode rb = json("{\"kind\":\"RoleBinding\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"name\":\"rb\",\"namespace\":\"default\"},"
                + "\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"carol\"}],"
                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"r1\"}}");
        assertThat(fields(ManagedFields.update(null, rb, "kubectl-create", rbac, T1), 0)).isEqualTo("{\"f:roleRef\":{},\"f:subjects\":{}}");
        ObjectNode role = json("{\"kind\":\"Role\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"name\":\"r\"},"
                + "\"rules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"secrets\"]}]}");
        assertThat(fields(ManagedFields.update(null, role, "kubectl-create", rbac, T1), 0)).isEqualTo("{\"f:rules\":{}}");
    }

    @Test
    void keyedAndSetListItems() {
        ObjectNode sa = json("{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"sa\","
                + "\"finalizers\":[\"b.example.com/x\",\"a.example.com/x\"],"
                + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"o\",\"uid\":\"u-1\"}]},"
                + "\"secrets\":[{\"name\":\"s-two\"},{\"name\":\"s-one\"}],\"imagePullSecrets\":[{\"name\":\"reg\"}]}");
        assertThat(fields(ManagedFields.update(null, sa, "m", "v1", T1), 0)).isEqualTo("{\"f:imagePullSecrets\":{},"
                + "\"f:metadata\":{\"f:finalizers\":{\".\":{},\"v:\\\"a.example.com/x\\\"\":{},\"v:\\\"b.example.com/x\\\"\":{}},"
                + "\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"u-1\\\"}\":{}}},"
                + "\"f:secrets\":{\".\":{},\"k:{\\\"name\\\":\\\"s-one\\\"}\":{},\"k:{\\\"name\\\":\\\"s-two\\\"}\":{}}}");
    }

    @Test
    void changedFieldsChangeHandsRemovedOnesLeaveEveryManager() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\"}},"
                + "\"data\":{\"x\":\"eA==\",\"y\":\"eQ==\"},\"type\":\"Opaque\"}");
        ObjectNode s1 = stored(created, ManagedFields.update(null, created, "creator", "v1", T1));
        ObjectNode edited = s1.deepCopy();
        ((ObjectNode) edited.get("data")).put("x", "WA==");
        ((ObjectNode) edited.get("metadata")).remove("labels");
        ArrayNode mf = ManagedFields.update(s1, edited, "kubectl-edit", "v1", T2);
        assertThat(Json.string(mf)).isEqualTo("[{\"manager\":\"creator\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                + "\"time\":\"2026-11-22T16:41:01Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:y\":{}},\"f:type\":{}}},"
                + "{\"manager\":\"kubectl-edit\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-22T16:41:04Z\","
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:x\":{}}}}]");

        // Everything a manager owned removed: the manager disappears.
        ObjectNode s2 = stored(edited, mf);
        ObjectNode emptied = s2.deepCopy();
        emptied.remove("data");
        ArrayNode after = ManagedFields.update(s2, emptied, "cleaner", "v1", T2);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("manager").asText()).isEqualTo("creator");
        assertThat(fields(after, 0)).isEqualTo("{\"f:type\":{}}");
    }

    @Test
    void aNoOpUpdateChangesNothing() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"data\":{\"x\":\"eA==\"}}");
        ArrayNode mf = ManagedFields.update(null, created, "creator", "v1", T1);
        ObjectNode s1 = stored(created, mf);
        assertThat(ManagedFields.update(s1, s1.deepCopy(), "other", "v1", T2)).isEqualTo(mf);
        // The same manager again: its entry keeps its time.
        assertThat(ManagedFields.update(s1, s1.deepCopy(), "creator", "v1", T2)).isEqualTo(mf);
    }

    @Test
    void sameManagerEntriesMergeAndOnlyServerOwnedMetadataIsIgnored() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\",\"generateName\":\"s-\"},\"data\":{\"x\":\"eA==\"}}");
        ObjectNode s1 = stored(created, ManagedFields.update(null, created, "m", "v1", T1));
        ObjectNode more = s1.deepCopy();
        ((ObjectNode) more.get("data")).put("y", "eQ==");
        ArrayNode mf = ManagedFields.update(s1, more, "m", "v1", T2);
        assertThat(mf).hasSize(1);
        assertThat(mf.get(0).get("time").asText()).isEqualTo("2026-11-22T16:41:04Z");
        assertThat(fields(mf, 0)).isEqualTo("{\"f:data\":{\".\":{},\"f:x\":{},\"f:y\":{}},\"f:metadata\":{\"f:generateName\":{}}}");
    }

    @Test
    void explicitManagedFieldsInTheRequest() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"data\":{\"x\":\"eA==\"}}");
        ObjectNode s1 = stored(created, ManagedFields.update(null, created, "creator", "v1", T1));
        // [] resets: only this operation's changes remain (here: none, so no managedFields at all).
        ObjectNode reset = s1.deepCopy();
        ((ObjectNode) reset.get("metadata")).putArray("managedFields");
        assertThat(ManagedFields.update(s1, reset, "m", "v1", T2)).isNull();
        // A replacement list is adopted (kubectl's CSA-to-SSA migration writes one).
        ObjectNode migrated = s1.deepCopy();
        ((ObjectNode) migrated.get("metadata")).set("managedFields", Json.MAPPER.createArrayNode().add(json(
                "{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"v1\",\"time\":\"2026-11-22T16:41:01Z\","
                        + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:x\":{}}}}")));
        ArrayNode mf = ManagedFields.update(s1, migrated, "kubectl", "v1", T2);
        assertThat(mf).hasSize(1);
        assertThat(mf.get(0).get("operation").asText()).isEqualTo("Apply");
    }

    @Test
    void serverSideApplyCreate() {
        ObjectNode config = json("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"labels\":{\"app\":\"demo\"},"
                + "\"name\":\"ssa-secret\",\"namespace\":\"default\"},\"stringData\":{\"password\":\"s3cr3t\"},\"type\":\"Opaque\"}");
        ManagedFields.ApplyResult r = ManagedFields.apply(null, config, config, "kubectl", "v1", T1, false);
        assertThat(r.conflicted()).isFalse();
        assertThat(Json.string(r.managedFields())).isEqualTo("[{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"v1\","
                + "\"time\":\"2026-11-22T16:41:01Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
                + "\"f:stringData\":{\"f:password\":{}},\"f:type\":{}}}]");
    }

    /** The conflict quoted in the reference (section 7.3), and its forced resolution. */
    @Test
    void serverSideApplyConflictsWithClientSideApply() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"},"
                + "\"data\":{\"password\":\"b2xk\",\"user\":\"dQ==\"},\"type\":\"Opaque\"}");
        ObjectNode live = stored(created, ManagedFields.update(null, created, "kubectl-client-side-apply", "v1", T1));
        ObjectNode config = json("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"},"
                + "\"data\":{\"password\":\"bmV3\",\"user\":\"dQ==\"}}");
        ObjectNode merged = live.deepCopy();
        ((ObjectNode) merged.get("data")).put("password", "bmV3");

        ManagedFields.ApplyResult r = ManagedFields.apply(live, merged, config, "kubectl", "v1", T2, false);
        assertThat(r.conflicted()).isTrue();
        assertThat(r.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.password");
        ApiException e = r.toApiException();
        assertThat(e.code()).isEqualTo(409);
        assertThat(Json.string(e.toStatus())).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Apply failed with 1 conflict: conflict with \\\"kubectl-client-side-apply\\\" using v1: .data.password\","
                + "\"reason\":\"Conflict\",\"details\":{\"causes\":[{\"reason\":\"FieldManagerConflict\","
                + "\"message\":\"conflict with \\\"kubectl-client-side-apply\\\" using v1\",\"field\":\".data.password\"}]},\"code\":409}");

        ManagedFields.ApplyResult forced = ManagedFields.apply(live, merged, config, "kubectl", "v1", T2, true);
        assertThat(forced.conflicted()).isFalse();
        ArrayNode mf = forced.managedFields();
        assertThat(mf.get(0).get("manager").asText()).as("Apply sorts first").isEqualTo("kubectl");
        assertThat(fields(mf, 0)).isEqualTo("{\"f:data\":{\"f:password\":{},\"f:user\":{}}}");
        assertThat(fields(mf, 1)).as("shared ownership of the unchanged value stays")
                .isEqualTo("{\"f:data\":{\".\":{},\"f:user\":{}},\"f:type\":{}}");
    }

    @Test
    void severalConflictsAreGroupedByManager() {
        ObjectNode created = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\",\"labels\":{\"l\":\"1\"}},"
                + "\"data\":{\"a\":\"YQ==\",\"b\":\"Yg==\"}}");
        ObjectNode s1 = stored(created, ManagedFields.update(null, created, "one", "v1", T1));
        ObjectNode merged = s1.deepCopy();
        ((ObjectNode) merged.get("data")).put("a", "QQ==").put("b", "Qg==");
        ((ObjectNode) merged.at("/metadata/labels")).put("l", "2");
        ManagedFields.ApplyResult r = ManagedFields.apply(s1, merged, merged, "kubectl", "v1", T2, false);
        assertThat(r.message()).isEqualTo("Apply failed with 3 conflicts: conflicts with \"one\" using v1:\n"
                + "- .data.a\n- .data.b\n- .metadata.labels.l");
    }

    @Test
    void moreThanTenUpdateManagersAreFoldedIntoAncientChanges() {
        ObjectNode obj = json("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"data\":{}}");
        ObjectNode live = stored(obj, null);
        for (int i = 0; i < 12; i++) {
            ObjectNode next = live.deepCopy();
            ((ObjectNode) next.get("data")).put("k" + i, "eA==");
            ArrayNode mf = ManagedFields.update(live, next, "m" + i, "v1", T1.plusSeconds(i));
            live = stored(next, mf);
        }
        ArrayNode mf = (ArrayNode) live.at("/metadata/managedFields");
        assertThat(mf).hasSize(10);
        assertThat(mf.get(0).get("manager").asText()).isEqualTo("ancient-changes");
        assertThat(mf.get(0).get("time").asText()).isEqualTo("2026-11-22T16:41:03Z");
        assertThat(fields(mf, 0)).isEqualTo("{\"f:data\":{\".\":{},\"f:k0\":{},\"f:k1\":{},\"f:k2\":{}}}");
        assertThat(mf.get(9).get("manager").asText()).isEqualTo("m11");
    }

    @Test
    void fieldsV1RoundTrip() throws IOException {
        String fieldsV1 = "{\"f:metadata\":{\"f:finalizers\":{\".\":{},\"v:\\\"a\\\"\":{}},\"f:labels\":{\"f:x\":{}},"
                + "\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"u\\\"}\":{}}},\"f:spec\":{\"i:0\":{}},\"f:type\":{}}";
        assertThat(Json.string(FieldSet.fromFieldsV1(json(fieldsV1)).toFieldsV1())).isEqualTo(fieldsV1);
    }

    private static String fields(ArrayNode mf, int i) {
        return Json.string(mf.get(i).get("fieldsV1"));
    }
}
