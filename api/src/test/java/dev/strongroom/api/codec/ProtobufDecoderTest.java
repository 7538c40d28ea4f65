package dev.strongroom.api.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.strongroom.api.json.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Rbac;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufDecoderTest {

    // ---- the bodies kubectl 1.32.5 sent (reference Appendix A.3), byte for byte ----

    private static final String SECRET_BODY = """
            6b 38 73 00 0a 0c 0a 02 76 31 12 06 53 65 63 72 65 74 12 3a 0a 12 0a 02 73 31 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00
            12 13 0a 03 63 66 67 12 0c 66 69 6c 65 2d 63 6f 6e 74 65 6e 74 12 0d 0a 04 75 73 65 72 12 05 61 64 6d 69 6e 1a 00 1a 00 22 00""";

    @Test
    void createSecretGeneric() throws Exception {
        assertThat(decode(SECRET_BODY)).isEqualTo(
                "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s1\",\"creationTimestamp\":null},"
                        + "\"data\":{\"cfg\":\"ZmlsZS1jb250ZW50\",\"user\":\"YWRtaW4=\"}}");
    }

    @Test
    void createNamespace() throws Exception {
        assertThat(decode("""
                6b 38 73 00 0a 0f 0a 02 76 31 12 09 4e 61 6d 65 73 70 61 63 65 12 1e 0a 16 0a 06 74 65 61 6d 2d 61 12 00 1a 00 22 00 2a 00
                32 00 38 00 42 00 12 00 1a 02 0a 00 1a 00 22 00""")).isEqualTo(
                "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"team-a\",\"creationTimestamp\":null},"
                        + "\"spec\":{},\"status\":{}}");
    }

    @Test
    void authCanI() throws Exception {
        assertThat(decode("""
                6b 38 73 00 0a 32 0a 17 "authorization.k8s.io/v1" 12 17 "SelfSubjectAccessReview" 12 3f 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00
                38 00 42 00 12 21 0a 1f 0a 07 "default" 12 03 "get" 1a 00 22 00 2a 07 "secrets" 32 00 3a 00 1a 08 08 00 12 00 1a 00 20 00 1a 00 22 00""")).isEqualTo(
                "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"secrets\"}},"
                        + "\"status\":{\"allowed\":false}}");
    }

    /**
     * Go-exact: TokenRequestSpec's fields carry no omitempty, so the unset ones are null, and the status has its
     * zero token - exactly the JSON kubectl 1.31 sends for the same command.
     */
    @Test
    void createToken() throws Exception {
        assertThat(decode("""
                6b 38 73 00 0a 28 0a 18 "authentication.k8s.io/v1" 12 0c "TokenRequest" 12 1d 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00
                12 03 20 d8 04 1a 04 0a 00 12 00 1a 00 22 00""")).isEqualTo(
                "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"audiences\":null,\"expirationSeconds\":600,\"boundObjectRef\":null},"
                        + "\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}");
    }

    @Test
    void authWhoami() throws Exception {
        assertThat(decode("""
                6b 38 73 00 0a 2d 0a 18 "authentication.k8s.io/v1" 12 11 "SelfSubjectReview" 12 1a 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00
                12 06 0a 04 0a 00 12 00 1a 00 22 00""")).isEqualTo(
                "{\"kind\":\"SelfSubjectReview\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"status\":{\"userInfo\":{}}}");
    }

    @Test
    void createRoleKeepsTheEmptyApiGroup() throws Exception {
        assertThat(decode("""
                6b 38 73 00 0a 24 0a 1c "rbac.authorization.k8s.io/v1" 12 04 "Role" 12 2c 0a 12 0a 02 "r1" 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00
                12 16 0a 03 "get" 0a 04 "list" 12 00 1a 07 "secrets" 1a 00 22 00""")).isEqualTo(
                "{\"kind\":\"Role\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"r1\",\"creationTimestamp\":null},"
                        + "\"rules\":[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"secrets\"]}]}");
    }

    // ---- failures, with upstream's wording ----

    @Test
    void truncatedBodyIsUnexpectedEof() {
        byte[] body = Hex.parse(SECRET_BODY);
        assertThatThrownBy(() -> ProtobufDecoder.decode(Arrays.copyOf(body, body.length - 1)))
                .isInstanceOf(DecodeException.class).hasMessage("unexpected EOF");
        // Cut inside the object itself: the envelope says 58 bytes of raw follow, fewer do.
        assertThatThrownBy(() -> ProtobufDecoder.decode(Arrays.copyOf(body, 30)))
                .hasMessage("unexpected EOF");
    }

    @Test
    void truncatedObjectInsideAnIntactEnvelope() throws Exception {
        byte[] raw = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("s1")).build().toByteArray();
        byte[] cut = Arrays.copyOf(raw, raw.length - 1);
        DecodeException e = org.junit.jupiter.api.Assertions.assertThrows(DecodeException.class,
                () -> ProtobufDecoder.decode(envelope("v1", "Secret", cut)));
        assertThat(e).hasMessage("unexpected EOF");
        assertThat(e.apiVersion()).isEqualTo("v1");
        assertThat(e.kind()).isEqualTo("Secret");
    }

    @Test
    void badPrefixEmptyAndMissingKind() {
        assertThatThrownBy(() -> ProtobufDecoder.decode(new byte[0])).hasMessage("empty data");
        assertThatThrownBy(() -> ProtobufDecoder.decode("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        assertThatThrownBy(() -> ProtobufDecoder.decode(Hex.parse("6b 38 73 00"))).hasMessage("empty body");
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "", new byte[0])))
                .hasMessage("Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:\"v1\", Kind:\"\"}'");
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("", "Secret", new byte[0])))
                .hasMessage("Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:\"\", Kind:\"Secret\"}'");
    }

    @Test
    void kindDefaultsComeFromTheEndpoint() throws Exception {
        byte[] raw = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("s1")).build().toByteArray();
        assertThat(Json.string(ProtobufDecoder.decode(envelope("", "", raw), "v1", "Secret")))
                .isEqualTo("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s1\",\"creationTimestamp\":null}}");
    }

    @Test
    void unknownKind() {
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "ConfigMap", new byte[0])))
                .hasMessage("no kind \"ConfigMap\" is registered for version \"v1\" in scheme "
                        + "\"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"");
    }

    @Test
    void wrongWireTypeForAKnownField() {
        // Secret field 3 (type) sent as a varint.
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "Secret", Hex.parse("18 01"))))
                .hasMessage("proto: wrong wireType = 0 for field Type");
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "Secret", Hex.parse("0a 02 08 01"))))
                .hasMessage("proto: wrong wireType = 0 for field Name");
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "Secret", Hex.parse("00 00"))))
                .hasMessage("proto: Secret: illegal tag 0 (wire type 0)");
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        assertThat(Json.string(ProtobufDecoder.decode(envelope("v1", "Secret", Hex.parse("f8 07 01 1a 06 \"Opaque\"")))))
                .isEqualTo("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"creationTimestamp\":null},\"type\":\"Opaque\"}");
    }

    // ---- round trips through the generated builders, one per kind ----

    private static Meta.ObjectMeta.Builder fullMeta() {
        return Meta.ObjectMeta.newBuilder()
                .setName("n").setGenerateName("g-").setNamespace("default").setSelfLink("").setUid("u-1")
                .setResourceVersion("42").setGeneration(3)
                .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1795365495L).setNanos(999))
                .setDeletionTimestamp(Meta.Time.newBuilder().setSeconds(1795365500L))
                .setDeletionGracePeriodSeconds(0)
                .putLabels("b", "2").putLabels("a", "")
                .putAnnotations("note", "hello")
                .addOwnerReferences(Meta.OwnerReference.newBuilder().setApiVersion("v1").setKind("ConfigMap")
                        .setName("owner").setUid("o-1").setController(true))
                .addOwnerReferences(Meta.OwnerReference.newBuilder().setKind("X"))
                .addFinalizers("example.com/f").addFinalizers("")
                .addManagedFields(Meta.ManagedFieldsEntry.newBuilder().setManager("kubectl-create").setOperation("Update")
                        .setApiVersion("v1").setTime(Meta.Time.newBuilder().setSeconds(1795365495L))
                        .setFieldsType("FieldsV1")
                        .setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(utf8("{\"f:data\":{\".\":{},\"f:a\":{}}}"))));
    }

    private static final String FULL_META = "\"metadata\":{\"name\":\"n\",\"generateName\":\"g-\",\"namespace\":\"default\","
            + "\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"generation\":3,\"creationTimestamp\":\"2026-11-22T16:38:15Z\","
            + "\"deletionTimestamp\":\"2026-11-22T16:38:20Z\",\"deletionGracePeriodSeconds\":0,"
            + "\"labels\":{\"a\":\"\",\"b\":\"2\"},\"annotations\":{\"note\":\"hello\"},"
            + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"owner\",\"uid\":\"o-1\",\"controller\":true},"
            + "{\"apiVersion\":\"\",\"kind\":\"X\",\"name\":\"\",\"uid\":\"\"}],"
            + "\"finalizers\":[\"example.com/f\",\"\"],"
            + "\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
            + "\"time\":\"2026-11-22T16:38:15Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:a\":{}}}}]}";

    @Test
    void secretWithEveryMetadataField() throws Exception {
        V1.Secret s = V1.Secret.newBuilder().setMetadata(fullMeta())
                .setImmutable(false).putData("k", ByteString.copyFrom(new byte[] {0, (byte) 0xff}))
                .putData("empty", ByteString.EMPTY).putStringData("plain", "text").setType("Opaque").build();
        assertThat(roundTrip("v1", "Secret", s)).isEqualTo("{\"kind\":\"Secret\",\"apiVersion\":\"v1\"," + FULL_META
                + ",\"immutable\":false,\"data\":{\"empty\":\"\",\"k\":\"AP8=\"},\"stringData\":{\"plain\":\"text\"},\"type\":\"Opaque\"}");
    }

    @Test
    void namespace() throws Exception {
        V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("t"))
                .setSpec(V1.NamespaceSpec.newBuilder().addFinalizers("kubernetes"))
                .setStatus(V1.NamespaceStatus.newBuilder().setPhase("Terminating")
                        .addConditions(V1.NamespaceCondition.newBuilder().setType("NamespaceDeletionContentFailure")
                                .setStatus("False").setLastTransitionTime(Meta.Time.getDefaultInstance())
                                .setReason("ContentDeleted").setMessage("")))
                .build();
        assertThat(roundTrip("v1", "Namespace", ns)).isEqualTo("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"t\",\"creationTimestamp\":null},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
                + "\"status\":{\"phase\":\"Terminating\",\"conditions\":[{\"type\":\"NamespaceDeletionContentFailure\","
                + "\"status\":\"False\",\"lastTransitionTime\":null,\"reason\":\"ContentDeleted\"}]}}");
    }

    @Test
    void serviceAccount() throws Exception {
        V1.ServiceAccount sa = V1.ServiceAccount.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("builder"))
                .addSecrets(V1.ObjectReference.newBuilder().setName("s-one").setNamespace("").setKind("Secret"))
                .addImagePullSecrets(V1.LocalObjectReference.newBuilder().setName("reg"))
                .setAutomountServiceAccountToken(true).build();
        assertThat(roundTrip("v1", "ServiceAccount", sa)).isEqualTo("{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"builder\",\"creationTimestamp\":null},\"secrets\":[{\"kind\":\"Secret\",\"name\":\"s-one\"}],"
                + "\"imagePullSecrets\":[{\"name\":\"reg\"}],\"automountServiceAccountToken\":true}");
    }

    @Test
    void tokenRequestWithAudienceAndBoundObject() throws Exception {
        V1Authentication.TokenRequest tr = V1Authentication.TokenRequest.newBuilder()
                .setMetadata(Meta.ObjectMeta.getDefaultInstance())
                .setSpec(V1Authentication.TokenRequestSpec.newBuilder().addAudiences("foo")
                        .setBoundObjectRef(V1Authentication.BoundObjectReference.newBuilder().setKind("Secret")
                                .setApiVersion("v1").setName("app").setUID("b-1")))
                .setStatus(V1Authentication.TokenRequestStatus.newBuilder().setToken("")
                        .setExpirationTimestamp(Meta.Time.getDefaultInstance()))
                .build();
        assertThat(roundTrip("authentication.k8s.io/v1", "TokenRequest", tr)).isEqualTo(
                "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"audiences\":[\"foo\"],\"expirationSeconds\":null,"
                        + "\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"app\",\"uid\":\"b-1\"}},"
                        + "\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}");
    }

    @Test
    void tokenReview() throws Exception {
        V1Authentication.TokenReview r = V1Authentication.TokenReview.newBuilder()
                .setSpec(V1Authentication.TokenReviewSpec.newBuilder().setToken("t").addAudiences("a"))
                .setStatus(V1Authentication.TokenReviewStatus.newBuilder().setAuthenticated(true)
                        .setUser(V1Authentication.UserInfo.newBuilder().setUsername("system:serviceaccount:default:default")
                                .addGroups("system:serviceaccounts")
                                .putExtra("k", V1Authentication.ExtraValue.newBuilder().addItems("v").build())
                                .putExtra("none", V1Authentication.ExtraValue.getDefaultInstance())))
                .build();
        assertThat(roundTrip("authentication.k8s.io/v1", "TokenReview", r)).isEqualTo(
                "{\"kind\":\"TokenReview\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"token\":\"t\",\"audiences\":[\"a\"]},\"status\":{\"authenticated\":true,"
                        + "\"user\":{\"username\":\"system:serviceaccount:default:default\",\"groups\":[\"system:serviceaccounts\"],"
                        + "\"extra\":{\"k\":[\"v\"],\"none\":null}}}}");
    }

    @Test
    void subjectAccessReviews() throws Exception {
        V1Authorization.SubjectAccessReviewSpec.Builder spec = V1Authorization.SubjectAccessReviewSpec.newBuilder()
                .setNonResourceAttributes(V1Authorization.NonResourceAttributes.newBuilder().setPath("/healthz").setVerb("get"))
                .setUser("bob").addGroups("devs").setUid("")
                .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("a").addItems("b").build());
        String specJson = "\"spec\":{\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"},\"user\":\"bob\","
                + "\"groups\":[\"devs\"],\"extra\":{\"scopes\":[\"a\",\"b\"]}}";
        V1Authorization.SubjectAccessReviewStatus.Builder status = V1Authorization.SubjectAccessReviewStatus.newBuilder()
                .setAllowed(true).setReason("RBAC: allowed");
        String statusJson = "\"status\":{\"allowed\":true,\"reason\":\"RBAC: allowed\"}";
        assertThat(roundTrip("authorization.k8s.io/v1", "SubjectAccessReview",
                V1Authorization.SubjectAccessReview.newBuilder().setSpec(spec).setStatus(status).build()))
                .isEqualTo("{\"kind\":\"SubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\","
                        + "\"metadata\":{\"creationTimestamp\":null}," + specJson + "," + statusJson + "}");
        assertThat(roundTrip("authorization.k8s.io/v1", "LocalSubjectAccessReview",
                V1Authorization.LocalSubjectAccessReview.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setNamespace("ns"))
                        .setSpec(spec).build()))
                .isEqualTo("{\"kind\":\"LocalSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\","
                        + "\"metadata\":{\"namespace\":\"ns\",\"creationTimestamp\":null}," + specJson
                        + ",\"status\":{\"allowed\":false}}");
        V1Authorization.SelfSubjectAccessReview ssar = V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder().setResourceAttributes(
                        V1Authorization.ResourceAttributes.newBuilder().setVerb("list").setResource("secrets")
                                .setLabelSelector(V1Authorization.LabelSelectorAttributes.newBuilder().setRawSelector("a=b"))
                                .setFieldSelector(V1Authorization.FieldSelectorAttributes.newBuilder()
                                        .addRequirements(Meta.FieldSelectorRequirement.newBuilder().setKey("metadata.name")
                                                .setOperator("In").addValues("x")))))
                .build();
        assertThat(roundTrip("authorization.k8s.io/v1", "SelfSubjectAccessReview", ssar)).isEqualTo(
                "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"secrets\","
                        + "\"fieldSelector\":{\"requirements\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"x\"]}]},"
                        + "\"labelSelector\":{\"rawSelector\":\"a=b\"}}},\"status\":{\"allowed\":false}}");
    }

    @Test
    void selfSubjectRulesReview() throws Exception {
        V1Authorization.SelfSubjectRulesReview r = V1Authorization.SelfSubjectRulesReview.newBuilder()
                .setSpec(V1Authorization.SelfSubjectRulesReviewSpec.newBuilder().setNamespace("default"))
                .setStatus(V1Authorization.SubjectRulesReviewStatus.newBuilder()
                        .addResourceRules(V1Authorization.ResourceRule.newBuilder().addVerbs("get").addApiGroups(""))
                        .setIncomplete(false))
                .build();
        assertThat(roundTrip("authorization.k8s.io/v1", "SelfSubjectRulesReview", r)).isEqualTo(
                "{\"kind\":\"SelfSubjectRulesReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"namespace\":\"default\"},\"status\":{\"resourceRules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"]}],"
                        + "\"nonResourceRules\":null,\"incomplete\":false}}");
    }

    @Test
    void rbacKinds() throws Exception {
        String rbac = "rbac.authorization.k8s.io/v1";
        V1Rbac.ClusterRole cr = V1Rbac.ClusterRole.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("system:basic-user"))
                .addRules(V1Rbac.PolicyRule.newBuilder().addVerbs("get").addNonResourceURLs("/healthz"))
                .setAggregationRule(V1Rbac.AggregationRule.newBuilder().addClusterRoleSelectors(Meta.LabelSelector.newBuilder()
                        .putMatchLabels("agg", "true").addMatchExpressions(Meta.LabelSelectorRequirement.newBuilder()
                                .setKey("k").setOperator("Exists"))))
                .build();
        assertThat(roundTrip(rbac, "ClusterRole", cr)).isEqualTo("{\"kind\":\"ClusterRole\",\"apiVersion\":\"" + rbac + "\","
                + "\"metadata\":{\"name\":\"system:basic-user\",\"creationTimestamp\":null},"
                + "\"rules\":[{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz\"]}],"
                + "\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchLabels\":{\"agg\":\"true\"},"
                + "\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"Exists\"}]}]}}");
        assertThat(roundTrip(rbac, "ClusterRole", V1Rbac.ClusterRole.getDefaultInstance())).isEqualTo(
                "{\"kind\":\"ClusterRole\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"creationTimestamp\":null},\"rules\":null}");

        V1Rbac.RoleRef ref = V1Rbac.RoleRef.newBuilder().setApiGroup(rbac.split("/")[0]).setKind("Role").setName("r1").build();
        V1Rbac.Subject carol = V1Rbac.Subject.newBuilder().setKind("User").setApiGroup("rbac.authorization.k8s.io").setName("carol").build();
        V1Rbac.Subject sa = V1Rbac.Subject.newBuilder().setKind("ServiceAccount").setApiGroup("").setName("builder").setNamespace("default").build();
        String subjects = "\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"carol\"},"
                + "{\"kind\":\"ServiceAccount\",\"name\":\"builder\",\"namespace\":\"default\"}],"
                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"r1\"}}";
        assertThat(roundTrip(rbac, "RoleBinding", V1Rbac.RoleBinding.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("rb")).addSubjects(carol).addSubjects(sa).setRoleRef(ref).build()))
                .isEqualTo("{\"kind\":\"RoleBinding\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"name\":\"rb\",\"creationTimestamp\":null},"
                        + subjects);
        assertThat(roundTrip(rbac, "ClusterRoleBinding", V1Rbac.ClusterRoleBinding.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("crb")).addSubjects(carol).addSubjects(sa).setRoleRef(ref).build()))
                .isEqualTo("{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"name\":\"crb\",\"creationTimestamp\":null},"
                        + subjects);
        assertThat(roundTrip(rbac, "RoleBinding", V1Rbac.RoleBinding.getDefaultInstance())).isEqualTo(
                "{\"kind\":\"RoleBinding\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"roleRef\":{\"apiGroup\":\"\",\"kind\":\"\",\"name\":\"\"}}");
        assertThat(roundTrip(rbac, "Role", V1Rbac.Role.newBuilder().addRules(V1Rbac.PolicyRule.getDefaultInstance()).build()))
                .isEqualTo("{\"kind\":\"Role\",\"apiVersion\":\"" + rbac + "\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"rules\":[{\"verbs\":null}]}");
    }

    @Test
    void deleteOptions() throws Exception {
        Meta.DeleteOptions o = Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0).setPropagationPolicy("Background")
                .addDryRun("All").setPreconditions(Meta.Preconditions.newBuilder().setUid("u").setResourceVersion(""))
                .setOrphanDependents(false).build();
        String expected = "\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"u\",\"resourceVersion\":\"\"},"
                + "\"orphanDependents\":false,\"propagationPolicy\":\"Background\",\"dryRun\":[\"All\"]}";
        assertThat(roundTrip("meta.k8s.io/v1", "DeleteOptions", o))
                .isEqualTo("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"meta.k8s.io/v1\"," + expected);
        assertThat(roundTrip("v1", "DeleteOptions", o)).isEqualTo("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"," + expected);
    }

    /**
     * The transcription in {@link KindSchemas} against the generated descriptors: every proto field has a schema
     * field of a compatible shape and vice versa, for every kind, recursively.
     */
    @Test
    void schemasMatchTheProtoDescriptors() throws Exception {
        for (String key : KindSchemas.all()) {
            int slash = key.lastIndexOf('/');
            String apiVersion = key.substring(0, slash), kind = key.substring(slash + 1);
            Message proto = prototype(apiVersion, kind);
            SchemaDescriptorCheck.check(KindSchemas.of(apiVersion, kind), proto.getDescriptorForType(), kind);
        }
    }

    private static Message prototype(String apiVersion, String kind) {
        return switch (kind) {
            case "Secret" -> V1.Secret.getDefaultInstance();
            case "Namespace" -> V1.Namespace.getDefaultInstance();
            case "ServiceAccount" -> V1.ServiceAccount.getDefaultInstance();
            case "TokenRequest" -> V1Authentication.TokenRequest.getDefaultInstance();
            case "TokenReview" -> V1Authentication.TokenReview.getDefaultInstance();
            case "SelfSubjectReview" -> V1Authentication.SelfSubjectReview.getDefaultInstance();
            case "SelfSubjectAccessReview" -> V1Authorization.SelfSubjectAccessReview.getDefaultInstance();
            case "LocalSubjectAccessReview" -> V1Authorization.LocalSubjectAccessReview.getDefaultInstance();
            case "SubjectAccessReview" -> V1Authorization.SubjectAccessReview.getDefaultInstance();
            case "SelfSubjectRulesReview" -> V1Authorization.SelfSubjectRulesReview.getDefaultInstance();
            case "Role" -> V1Rbac.Role.getDefaultInstance();
            case "ClusterRole" -> V1Rbac.ClusterRole.getDefaultInstance();
            case "RoleBinding" -> V1Rbac.RoleBinding.getDefaultInstance();
            case "ClusterRoleBinding" -> V1Rbac.ClusterRoleBinding.getDefaultInstance();
            case "DeleteOptions" -> Meta.DeleteOptions.getDefaultInstance();
            default -> throw new AssertionError(apiVersion + "/" + kind);
        };
    }

    // ---- helpers ----

    private static String decode(String hex) throws DecodeException {
        return Json.string(ProtobufDecoder.decode(Hex.parse(hex)));
    }

    private static String roundTrip(String apiVersion, String kind, Message m) throws DecodeException {
        return Json.string(ProtobufDecoder.decode(envelope(apiVersion, kind, m.toByteArray())));
    }

    static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        Runtime.Unknown u = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(ByteString.copyFrom(raw)).setContentEncoding("").setContentType("").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x6b, 0x38, 0x73, 0x00});
        out.writeBytes(u.toByteArray());
        return out.toByteArray();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
