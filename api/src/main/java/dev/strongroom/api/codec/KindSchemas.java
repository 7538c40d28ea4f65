package dev.strongroom.api.codec;

import dev.strongroom.api.codec.Schema.Field;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.ListType;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Scalar;
import dev.strongroom.api.codec.Schema.ScalarKind;
import dev.strongroom.api.codec.Schema.Struct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Go types of every kind Strongroom decodes, transcribed from k8s.io/api and k8s.io/apimachinery (v0.32):
 * field order, JSON tags ({@code omitempty}, pointers), {@code patchStrategy}/{@code patchMergeKey} tags and the
 * {@code +listType}/{@code +structType} markers. One table feeds protobuf decoding, strict JSON decoding, strategic
 * merge patch and managed fields, so they cannot disagree about a field.
 */
public final class KindSchemas {
    private KindSchemas() {}

    // ---- scalars ----
    static final Scalar STRING = new Scalar(ScalarKind.STRING, "string");
    static final Scalar BOOL = new Scalar(ScalarKind.BOOL, "bool");
    static final Scalar INT64 = new Scalar(ScalarKind.INT64, "int64");
    static final Scalar BYTES = new Scalar(ScalarKind.BYTES, "[]uint8");
    static final Scalar TIME = new Scalar(ScalarKind.TIME, "v1.Time");
    static final Scalar UID = named("types.UID");

    private static Scalar named(String goType) { return new Scalar(ScalarKind.STRING, goType); }

    // ---- field builders: the four combinations of Go's omitempty and pointer ----
    /** {@code json:"x,omitempty"} on a value field. */
    private static Field opt(String name, Schema s) { return new Field(name, s, true, false, null, null); }
    /** {@code json:"x"} on a value field: always encoded, zero values included. */
    private static Field req(String name, Schema s) { return new Field(name, s, false, false, null, null); }
    /** {@code json:"x,omitempty"} on a pointer field: present iff set. */
    private static Field ptr(String name, Schema s) { return new Field(name, s, true, true, null, null); }
    /** {@code json:"x"} on a pointer field: {@code null} when unset. */
    private static Field ptrReq(String name, Schema s) { return new Field(name, s, false, true, null, null); }
    private static Field merge(Field f, String mergeKey) {
        return new Field(f.name(), f.schema(), f.omitEmpty(), f.pointer(), "merge", mergeKey);
    }

    private static ListOf atomic(Schema elem) { return new ListOf(elem, "[]" + elem.goType(), ListType.ATOMIC, List.of()); }
    private static ListOf set(Schema elem) { return new ListOf(elem, "[]" + elem.goType(), ListType.SET, List.of()); }
    private static ListOf keyed(Schema elem, String... keys) {
        return new ListOf(elem, "[]" + elem.goType(), ListType.MAP, Arrays.asList(keys));
    }
    private static MapOf mapOf(Schema value) { return new MapOf(value, "map[string]" + value.goType()); }

    private static Struct struct(String goType, Field... fields) { return new Struct(goType, List.of(fields), false); }
    private static Struct atomicStruct(String goType, Field... fields) { return new Struct(goType, List.of(fields), true); }

    /** A top-level kind: TypeMeta's {@code kind} and {@code apiVersion} are promoted into the struct, first. */
    private static Struct kind(String goType, Field... fields) {
        List<Field> all = new ArrayList<>();
        all.add(opt("kind", STRING));
        all.add(opt("apiVersion", STRING));
        all.addAll(List.of(fields));
        return new Struct(goType, all, false);
    }

    // ---- meta/v1 ----
    static final Struct OWNER_REFERENCE = atomicStruct("v1.OwnerReference",
            req("apiVersion", STRING), req("kind", STRING), req("name", STRING), req("uid", UID),
            ptr("controller", BOOL), ptr("blockOwnerDeletion", BOOL));

    static final Struct MANAGED_FIELDS_ENTRY = struct("v1.ManagedFieldsEntry",
            opt("manager", STRING), opt("operation", named("v1.ManagedFieldsOperationType")),
            opt("apiVersion", STRING), ptr("time", TIME), opt("fieldsType", STRING),
            ptr("fieldsV1", new Schema.FreeForm("v1.FieldsV1")), opt("subresource", STRING));

    public static final Struct OBJECT_META = struct("v1.ObjectMeta",
            opt("name", STRING), opt("generateName", STRING), opt("namespace", STRING), opt("selfLink", STRING),
            opt("uid", UID), opt("resourceVersion", STRING), opt("generation", INT64),
            opt("creationTimestamp", TIME), ptr("deletionTimestamp", TIME), ptr("deletionGracePeriodSeconds", INT64),
            opt("labels", mapOf(STRING)), opt("annotations", mapOf(STRING)),
            merge(opt("ownerReferences", keyed(OWNER_REFERENCE, "uid")), "uid"),
            merge(opt("finalizers", set(STRING)), null),
            opt("managedFields", atomic(MANAGED_FIELDS_ENTRY)));

    private static Field metadata() { return opt("metadata", OBJECT_META); }

    static final Struct LABEL_SELECTOR_REQUIREMENT = struct("v1.LabelSelectorRequirement",
            req("key", STRING), req("operator", named("v1.LabelSelectorOperator")),
            opt("values", atomic(STRING)));

    static final Struct LABEL_SELECTOR = atomicStruct("v1.LabelSelector",
            opt("matchLabels", mapOf(STRING)), opt("matchExpressions", atomic(LABEL_SELECTOR_REQUIREMENT)));

    static final Struct FIELD_SELECTOR_REQUIREMENT = struct("v1.FieldSelectorRequirement",
            req("key", STRING), req("operator", named("selection.Operator")), opt("values", atomic(STRING)));

    static final Struct PRECONDITIONS = struct("v1.Preconditions", ptr("uid", UID), ptr("resourceVersion", STRING));

    static final Struct DELETE_OPTIONS = kind("v1.DeleteOptions",
            ptr("gracePeriodSeconds", INT64), ptr("preconditions", PRECONDITIONS), ptr("orphanDependents", BOOL),
            ptr("propagationPolicy", named("v1.DeletionPropagation")), opt("dryRun", atomic(STRING)),
            ptr("ignoreStoreReadErrorWithClusterBreakingPotential", BOOL));

    // ---- core/v1 ----
    static final Struct SECRET = kind("v1.Secret",
            metadata(), ptr("immutable", BOOL), opt("data", mapOf(BYTES)), opt("stringData", mapOf(STRING)),
            opt("type", named("v1.SecretType")));

    static final Struct NAMESPACE_CONDITION = struct("v1.NamespaceCondition",
            req("type", named("v1.NamespaceConditionType")), req("status", named("v1.ConditionStatus")),
            opt("lastTransitionTime", TIME), opt("reason", STRING), opt("message", STRING));

    static final Struct NAMESPACE = kind("v1.Namespace",
            metadata(),
            opt("spec", struct("v1.NamespaceSpec", opt("finalizers", atomic(named("v1.FinalizerName"))))),
            opt("status", struct("v1.NamespaceStatus", opt("phase", named("v1.NamespacePhase")),
                    merge(opt("conditions", keyed(NAMESPACE_CONDITION, "type")), "type"))));

    static final Struct OBJECT_REFERENCE = atomicStruct("v1.ObjectReference",
            opt("kind", STRING), opt("namespace", STRING), opt("name", STRING), opt("uid", UID),
            opt("apiVersion", STRING), opt("resourceVersion", STRING), opt("fieldPath", STRING));

    static final Struct SERVICE_ACCOUNT = kind("v1.ServiceAccount",
            metadata(),
            merge(opt("secrets", keyed(OBJECT_REFERENCE, "name")), "name"),
            opt("imagePullSecrets", atomic(atomicStruct("v1.LocalObjectReference", opt("name", STRING)))),
            ptr("automountServiceAccountToken", BOOL));

    // ---- authentication/v1 ----
    static final ListOf EXTRA_VALUE = new ListOf(STRING, "v1.ExtraValue", ListType.ATOMIC, List.of());

    static final Struct USER_INFO = struct("v1.UserInfo",
            opt("username", STRING), opt("uid", STRING), opt("groups", atomic(STRING)),
            opt("extra", mapOf(EXTRA_VALUE)));

    static final Struct TOKEN_REQUEST = kind("v1.TokenRequest",
            metadata(),
            req("spec", struct("v1.TokenRequestSpec",
                    req("audiences", atomic(STRING)), ptrReq("expirationSeconds", INT64),
                    ptrReq("boundObjectRef", struct("v1.BoundObjectReference",
                            opt("kind", STRING), opt("apiVersion", STRING), opt("name", STRING), opt("uid", UID))))),
            opt("status", struct("v1.TokenRequestStatus", req("token", STRING), req("expirationTimestamp", TIME))));

    static final Struct TOKEN_REVIEW = kind("v1.TokenReview",
            metadata(),
            req("spec", struct("v1.TokenReviewSpec", opt("token", STRING), opt("audiences", atomic(STRING)))),
            opt("status", struct("v1.TokenReviewStatus",
                    opt("authenticated", BOOL), opt("user", USER_INFO), opt("audiences", atomic(STRING)),
                    opt("error", STRING))));

    static final Struct SELF_SUBJECT_REVIEW = kind("v1.SelfSubjectReview",
            metadata(),
            opt("status", struct("v1.SelfSubjectReviewStatus", opt("userInfo", USER_INFO))));

    // ---- authorization/v1 ----
    static final Struct RESOURCE_ATTRIBUTES = struct("v1.ResourceAttributes",
            opt("namespace", STRING), opt("verb", STRING), opt("group", STRING), opt("version", STRING),
            opt("resource", STRING), opt("subresource", STRING), opt("name", STRING),
            ptr("fieldSelector", struct("v1.FieldSelectorAttributes",
                    opt("rawSelector", STRING), opt("requirements", atomic(FIELD_SELECTOR_REQUIREMENT)))),
            ptr("labelSelector", struct("v1.LabelSelectorAttributes",
                    opt("rawSelector", STRING), opt("requirements", atomic(LABEL_SELECTOR_REQUIREMENT)))));

    static final Struct NON_RESOURCE_ATTRIBUTES = struct("v1.NonResourceAttributes",
            opt("path", STRING), opt("verb", STRING));

    static final Struct SUBJECT_ACCESS_REVIEW_STATUS = struct("v1.SubjectAccessReviewStatus",
            req("allowed", BOOL), opt("denied", BOOL), opt("reason", STRING), opt("evaluationError", STRING));

    static final Struct SUBJECT_ACCESS_REVIEW_SPEC = struct("v1.SubjectAccessReviewSpec",
            ptr("resourceAttributes", RESOURCE_ATTRIBUTES), ptr("nonResourceAttributes", NON_RESOURCE_ATTRIBUTES),
            opt("user", STRING), opt("groups", atomic(STRING)), opt("extra", mapOf(EXTRA_VALUE)), opt("uid", STRING));

    static final Struct SELF_SUBJECT_ACCESS_REVIEW = kind("v1.SelfSubjectAccessReview",
            metadata(),
            req("spec", struct("v1.SelfSubjectAccessReviewSpec",
                    ptr("resourceAttributes", RESOURCE_ATTRIBUTES),
                    ptr("nonResourceAttributes", NON_RESOURCE_ATTRIBUTES))),
            opt("status", SUBJECT_ACCESS_REVIEW_STATUS));

    static final Struct SUBJECT_ACCESS_REVIEW = kind("v1.SubjectAccessReview",
            metadata(), req("spec", SUBJECT_ACCESS_REVIEW_SPEC), opt("status", SUBJECT_ACCESS_REVIEW_STATUS));

    static final Struct LOCAL_SUBJECT_ACCESS_REVIEW = kind("v1.LocalSubjectAccessReview",
            metadata(), req("spec", SUBJECT_ACCESS_REVIEW_SPEC), opt("status", SUBJECT_ACCESS_REVIEW_STATUS));

    static final Struct SELF_SUBJECT_RULES_REVIEW = kind("v1.SelfSubjectRulesReview",
            metadata(),
            req("spec", struct("v1.SelfSubjectRulesReviewSpec", opt("namespace", STRING))),
            opt("status", struct("v1.SubjectRulesReviewStatus",
                    req("resourceRules", atomic(struct("v1.ResourceRule",
                            req("verbs", atomic(STRING)), opt("apiGroups", atomic(STRING)),
                            opt("resources", atomic(STRING)), opt("resourceNames", atomic(STRING))))),
                    req("nonResourceRules", atomic(struct("v1.NonResourceRule",
                            req("verbs", atomic(STRING)), opt("nonResourceURLs", atomic(STRING))))),
                    req("incomplete", BOOL), opt("evaluationError", STRING))));

    // ---- rbac/v1 ----
    static final Struct POLICY_RULE = struct("v1.PolicyRule",
            req("verbs", atomic(STRING)), opt("apiGroups", atomic(STRING)), opt("resources", atomic(STRING)),
            opt("resourceNames", atomic(STRING)), opt("nonResourceURLs", atomic(STRING)));

    static final Struct SUBJECT = atomicStruct("v1.Subject",
            req("kind", STRING), opt("apiGroup", STRING), req("name", STRING), opt("namespace", STRING));

    static final Struct ROLE_REF = atomicStruct("v1.RoleRef",
            req("apiGroup", STRING), req("kind", STRING), req("name", STRING));

    static final Struct ROLE = kind("v1.Role", metadata(), req("rules", atomic(POLICY_RULE)));

    static final Struct CLUSTER_ROLE = kind("v1.ClusterRole",
            metadata(), req("rules", atomic(POLICY_RULE)),
            ptr("aggregationRule", struct("v1.AggregationRule",
                    opt("clusterRoleSelectors", atomic(LABEL_SELECTOR)))));

    static final Struct ROLE_BINDING = kind("v1.RoleBinding",
            metadata(), opt("subjects", atomic(SUBJECT)), req("roleRef", ROLE_REF));

    static final Struct CLUSTER_ROLE_BINDING = kind("v1.ClusterRoleBinding",
            metadata(), opt("subjects", atomic(SUBJECT)), req("roleRef", ROLE_REF));

    private static final String AUTHN = "authentication.k8s.io/v1";
    private static final String AUTHZ = "authorization.k8s.io/v1";
    private static final String RBAC = "rbac.authorization.k8s.io/v1";

    private static final Map<String, Struct> BY_KIND = new LinkedHashMap<>();
    static {
        register("v1", "Secret", SECRET);
        register("v1", "Namespace", NAMESPACE);
        register("v1", "ServiceAccount", SERVICE_ACCOUNT);
        register(AUTHN, "TokenRequest", TOKEN_REQUEST);
        register(AUTHN, "TokenReview", TOKEN_REVIEW);
        register(AUTHN, "SelfSubjectReview", SELF_SUBJECT_REVIEW);
        register(AUTHZ, "SelfSubjectAccessReview", SELF_SUBJECT_ACCESS_REVIEW);
        register(AUTHZ, "LocalSubjectAccessReview", LOCAL_SUBJECT_ACCESS_REVIEW);
        register(AUTHZ, "SubjectAccessReview", SUBJECT_ACCESS_REVIEW);
        register(AUTHZ, "SelfSubjectRulesReview", SELF_SUBJECT_RULES_REVIEW);
        register(RBAC, "Role", ROLE);
        register(RBAC, "ClusterRole", CLUSTER_ROLE);
        register(RBAC, "RoleBinding", ROLE_BINDING);
        register(RBAC, "ClusterRoleBinding", CLUSTER_ROLE_BINDING);
        // DeleteOptions is a meta.k8s.io type that every group version also accepts (as "v1" for the core group).
        register("meta.k8s.io/v1", "DeleteOptions", DELETE_OPTIONS);
        register("v1", "DeleteOptions", DELETE_OPTIONS);
        register(AUTHN, "DeleteOptions", DELETE_OPTIONS);
        register(AUTHZ, "DeleteOptions", DELETE_OPTIONS);
        register(RBAC, "DeleteOptions", DELETE_OPTIONS);
    }

    private static void register(String apiVersion, String kind, Struct schema) {
        BY_KIND.put(apiVersion + "/" + kind, schema);
    }

    /** The schema of {@code kind} in {@code apiVersion} ({@code "v1"}, {@code "rbac.authorization.k8s.io/v1"}), or null. */
    public static Struct of(String apiVersion, String kind) {
        return BY_KIND.get(apiVersion + "/" + kind);
    }

    /** Every served {@code apiVersion/kind} pair, in registration order. */
    public static Set<String> all() {
        return Collections.unmodifiableSet(BY_KIND.keySet());
    }

    /**
     * Top-level fields the main resource's strategy resets on every write ({@code GetResetFields}): managed fields
     * never record them. Only Namespace has one ({@code status}, owned by the {@code /status} subresource).
     */
    public static List<String> resetFields(String apiVersion, String kind) {
        return "v1".equals(apiVersion) && "Namespace".equals(kind) ? List.of("status") : List.of();
    }
}
