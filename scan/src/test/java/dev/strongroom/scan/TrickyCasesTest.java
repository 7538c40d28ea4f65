package dev.strongroom.scan;

import static dev.strongroom.scan.TestScans.ids;
import static dev.strongroom.scan.TestScans.of;
import static dev.strongroom.scan.TestScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Profile;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The cases the issue names, where a naive check gets the answer wrong. */
class TrickyCasesTest {

    private static final String POD_WITHOUT_APE = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop}
            spec:
              containers:
                - name: web
                  image: registry.example.com/web:1.0
                  securityContext:
                    runAsNonRoot: true
            """;

    @Nested
    class UnsetAllowPrivilegeEscalation {
        @Test
        void unsetIsReportedBecauseItDefaultsToTrue() {
            List<Finding> f = of(scan(POD_WITHOUT_APE), "SR-POD-003");
            assertThat(f).hasSize(1);
            assertThat(f.get(0).message()).contains("does not set allowPrivilegeEscalation, which defaults to true");
            assertThat(f.get(0).position().line()).isEqualTo(8); // the securityContext where it belongs
        }

        @Test
        void explicitTrueIsReported() {
            String yaml = POD_WITHOUT_APE.replace("runAsNonRoot: true", "runAsNonRoot: true\n        allowPrivilegeEscalation: true");
            assertThat(of(scan(yaml), "SR-POD-003")).singleElement().extracting(Finding::message).asString()
                    .contains("sets allowPrivilegeEscalation: true");
        }

        @Test
        void explicitFalsePasses() {
            String yaml = POD_WITHOUT_APE.replace("runAsNonRoot: true", "runAsNonRoot: true\n        allowPrivilegeEscalation: false");
            assertThat(of(scan(yaml), "SR-POD-003")).isEmpty();
        }

        @Test
        void restrictedProfileAlsoTreatsUnsetAsAFailure() {
            assertThat(of(scan(POD_WITHOUT_APE, Profile.RESTRICTED), "PSS-PRIVILEGE-ESCALATION")).hasSize(1);
            assertThat(of(scan(POD_WITHOUT_APE, Profile.BASELINE), "PSS-PRIVILEGE-ESCALATION")).isEmpty();
        }

        @Test
        void everyWorkloadKindIsCheckedThroughItsPodTemplate() {
            String container = """
                          containers:
                            - name: c
                              image: registry.example.com/c:1.0
                    """;
            String yaml = String.join("---\n",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.replace("      ", "    ").stripIndent().indent(6),
                    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6),
                    "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6),
                    "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6),
                    "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6),
                    "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6),
                    "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj, namespace: shop}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n" + container.stripIndent().indent(10),
                    "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: pt, namespace: shop}\ntemplate:\n  spec:\n" + container.stripIndent().indent(4),
                    "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro, namespace: shop}\nspec:\n  template:\n    spec:\n" + container.stripIndent().indent(6));
            ScanResult r = scan(yaml);
            assertThat(r.findings()).noneMatch(f -> f.rule().id().equals("SR-INPUT-001"));
            assertThat(of(r, "SR-POD-003")).extracting(f -> f.object().kind()).containsExactly(
                    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
                    "PodTemplate", "Rollout");
        }
    }

    @Nested
    class DefaultDenyNetworkPolicies {
        private static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n";

        private ScanResult withPolicy(String spec) {
            return scan(NAMESPACE + "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n"
                    + spec.stripIndent().indent(2));
        }

        @Test
        void policyWithoutPolicyTypesIsATrueIngressDefaultDeny() {
            // Polaris/kube-score style checks look for policyTypes or an explicit `ingress: []`;
            // the API server defaults policyTypes to [Ingress], so this denies all ingress.
            ScanResult r = withPolicy("podSelector: {}");
            assertThat(ids(r)).doesNotContain("SR-NET-001").contains("SR-NET-002");
        }

        @Test
        void emptySelectorWrittenAsEmptyMatchLabelsStillSelectsEveryPod() {
            ScanResult r = withPolicy("""
                    podSelector:
                      matchLabels: {}
                      matchExpressions: []
                    policyTypes: [Ingress, Egress]
                    ingress: []
                    """);
            assertThat(ids(r)).doesNotContain("SR-NET-001", "SR-NET-002");
        }

        @Test
        void emptyEgressListWithoutPolicyTypesDoesNotIsolateEgress() {
            ScanResult r = withPolicy("podSelector: {}\negress: []");
            assertThat(ids(r)).doesNotContain("SR-NET-001").contains("SR-NET-002");
        }

        @Test
        void anEmptyRuleAllowsEverythingSoItIsNotADeny() {
            // `ingress: [{}]` is "allow from anywhere", the opposite of a deny.
            ScanResult r = withPolicy("podSelector: {}\npolicyTypes: [Ingress]\ningress:\n  - {}");
            assertThat(ids(r)).contains("SR-NET-001");
        }

        @Test
        void aPolicyForSomePodsIsNotANamespaceDefault() {
            ScanResult r = withPolicy("podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Ingress, Egress]");
            assertThat(ids(r)).contains("SR-NET-001", "SR-NET-002");
        }

        @Test
        void aDefaultDenyInAnotherNamespaceDoesNotCount() {
            ScanResult r = scan(NAMESPACE + "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: other}\n"
                    + "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
            assertThat(of(r, "SR-NET-001")).singleElement().extracting(Finding::message).asString().contains("namespace shop");
        }
    }

    @Nested
    class EncryptionProviderOrder {
        private static final String HEAD = """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                """;
        private static final String AESCBC = "      - aescbc:\n          keys:\n            - {name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}\n";
        private static final String AESGCM = "      - aesgcm:\n          keys:\n            - {name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}\n";
        private static final String IDENTITY = "      - identity: {}\n";

        @Test
        void identitySecondAfterAescbcIsNotPlaintextButAescbcIsReported() {
            ScanResult r = scan(HEAD + AESCBC + IDENTITY);
            assertThat(ids(r)).containsExactly("SR-ENC-003");
            assertThat(r.findings().get(0).position().line()).isEqualTo(6);
        }

        @Test
        void identityFirstIsPlaintextWhateverFollows() {
            ScanResult r = scan(HEAD + IDENTITY + AESGCM);
            assertThat(ids(r)).containsExactly("SR-ENC-002");
            assertThat(r.findings().get(0).message()).contains("plain text");
        }

        @Test
        void anExactSecretsEntryWinsOverAnEarlierWildcard() {
            String yaml = """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: EncryptionConfiguration
                    resources:
                      - resources: ["*.*"]
                        providers:
                          - identity: {}
                      - resources: [secrets]
                        providers:
                          - aesgcm:
                              keys:
                                - {name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}
                    """;
            assertThat(scan(yaml).findings()).isEmpty();
        }

        @Test
        void theTranscriptConfigsOfThisProjectAreClassifiedCorrectly() {
            // shared/reference/kube-apiserver-transcripts/aesgcm: aesgcm, aescbc, identity → fine;
            // the rotate-back config writes with aescbc again.
            assertThat(scan(HEAD + AESGCM + AESCBC + IDENTITY).findings()).isEmpty();
            assertThat(ids(scan(HEAD + AESCBC + AESGCM + IDENTITY))).containsExactly("SR-ENC-003");
        }

        @Test
        void legacyKindIsUnderstoodToo() {
            String yaml = "apiVersion: v1\nkind: EncryptionConfig\nresources:\n  - resources: [configmaps]\n    providers:\n      - identity: {}\n";
            assertThat(ids(scan(yaml))).containsExactly("SR-ENC-001");
        }
    }

    @Nested
    class AuditPolicyOrder {
        private static final String SECRETS_METADATA = """
                  - level: Metadata
                    resources:
                      - group: ""
                        resources: ["secrets", "serviceaccounts/token"]
                      - group: authentication.k8s.io
                        resources: ["tokenreviews"]
                """;

        private ScanResult policy(String rules) {
            return scan("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n" + rules);
        }

        @Test
        void catchAllBeforeTheSecretsRuleWins() {
            ScanResult r = policy("  - level: Request\n" + SECRETS_METADATA);
            List<Finding> f = of(r, "SR-AUD-001");
            // Request level records request bodies: secret writes and TokenReviews leak, reads and
            // TokenRequest responses do not.
            assertThat(f).extracting(Finding::message).containsExactly(
                    "rule #1 (level Request) is the first to match create, update, patch on secrets, so the audit log records the secret values in request bodies",
                    "rule #1 (level Request) is the first to match create on tokenreviews, so the audit log records the tokens in request bodies");
            assertThat(f).allMatch(x -> x.position().line() == 4);
        }

        @Test
        void theSameRulesInTheRightOrderAreFine() {
            assertThat(policy(SECRETS_METADATA + "  - level: RequestResponse\n").findings()).isEmpty();
        }

        @Test
        void aRuleForOneUserBeforeTheSecretsRuleStillLeaksThatUsersRequests() {
            ScanResult r = policy("  - level: RequestResponse\n    users: [\"ci-bot\"]\n" + SECRETS_METADATA);
            assertThat(of(r, "SR-AUD-001")).hasSize(3).allMatch(x -> x.position().line() == 4);
        }

        @Test
        void aNamespaceScopedRuleOnlyMattersForThatNamespace() {
            ScanResult r = policy("  - level: RequestResponse\n    namespaces: [\"kube-system\"]\n    resources:\n      - group: \"\"\n        resources: [configmaps]\n"
                    + SECRETS_METADATA);
            assertThat(r.findings()).isEmpty();
        }

        @Test
        void noneForAllAuthenticatedUsersMeansNotAudited() {
            ScanResult r = policy("  - level: None\n    userGroups: [\"system:authenticated\"]\n" + SECRETS_METADATA);
            assertThat(of(r, "SR-AUD-002")).hasSize(3).allMatch(x -> x.message().contains("rule #1 (level None)"));
        }

        @Test
        void exemptingAControlPlaneIdentityIsADeliberateChoice() {
            ScanResult r = policy("  - level: None\n    users: [\"system:kube-controller-manager\"]\n" + SECRETS_METADATA);
            assertThat(r.findings()).isEmpty();
        }

        @Test
        void theKubernetesDocumentationExamplePolicyIsFine() {
            // kubernetes.io audit-policy.yaml: secrets at Metadata before the core-group Request
            // rule; TokenRequest falls to that Request rule, whose response (the token) is not logged.
            String docs = """
                    - level: RequestResponse
                      resources:
                      - group: ""
                        resources: ["pods"]
                    - level: Metadata
                      resources:
                      - group: ""
                        resources: ["pods/log", "pods/status"]
                    - level: None
                      resources:
                      - group: ""
                        resources: ["configmaps"]
                        resourceNames: ["controller-leader"]
                    - level: None
                      users: ["system:kube-proxy"]
                      verbs: ["watch"]
                      resources:
                      - group: ""
                        resources: ["endpoints", "services"]
                    - level: None
                      userGroups: ["system:authenticated"]
                      nonResourceURLs:
                      - "/api*"
                      - "/version"
                    - level: Request
                      resources:
                      - group: ""
                        resources: ["configmaps"]
                      namespaces: ["kube-system"]
                    - level: Metadata
                      resources:
                      - group: ""
                        resources: ["secrets", "configmaps"]
                    - level: Request
                      resources:
                      - group: ""
                      - group: "extensions"
                    - level: Metadata
                      omitStages:
                        - "RequestReceived"
                    """;
            assertThat(policy(docs).findings()).isEmpty();
        }
    }

    @Nested
    class RbacResolution {
        @Test
        void builtInEditBoundToAllServiceAccountsGrantsSecretReads() {
            String yaml = """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: all-sa-edit, namespace: shop}
                    subjects:
                      - {kind: Group, name: "system:serviceaccounts", apiGroup: rbac.authorization.k8s.io}
                    roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}
                    """;
            ScanResult r = scan(yaml);
            // A RoleBinding of edit is namespaced, so not SR-RBAC-002; but every service account
            // in the cluster can now read this namespace's Secrets.
            assertThat(ids(r)).containsExactly("SR-RBAC-003");
            assertThat(r.findings().get(0).message()).contains("built-in ClusterRole edit", "in namespace shop");
        }

        @Test
        void builtInViewExcludesSecrets() {
            String yaml = """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRoleBinding
                    metadata: {name: everyone-views}
                    subjects:
                      - {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
                    roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
                    """;
            assertThat(scan(yaml).findings()).isEmpty();
        }

        @Test
        void aClusterRoleAggregatedIntoViewMakesViewReadSecrets() {
            String yaml = """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRole
                    metadata:
                      name: crd-viewer
                      labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
                    rules:
                      - {apiGroups: [""], resources: [secrets], verbs: [get]}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRoleBinding
                    metadata: {name: everyone-views}
                    subjects:
                      - {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
                    roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
                    """;
            ScanResult r = scan(yaml);
            assertThat(of(r, "SR-RBAC-003")).singleElement().extracting(Finding::message).asString()
                    .contains("get on secrets in every namespace", "ClusterRole crd-viewer (aggregated into view)");
        }

        @Test
        void aRuleLimitedToOtherResourcesOrVerbsDoesNotGrantSecretReads() {
            String yaml = """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRole
                    metadata: {name: writer}
                    rules:
                      - {apiGroups: [""], resources: [secrets], verbs: [create]}
                      - {apiGroups: [apps], resources: [secrets], verbs: [get]}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRoleBinding
                    metadata: {name: writer}
                    subjects:
                      - {kind: User, name: "system:anonymous", apiGroup: rbac.authorization.k8s.io}
                    roleRef: {kind: ClusterRole, name: writer, apiGroup: rbac.authorization.k8s.io}
                    """;
            assertThat(of(scan(yaml), "SR-RBAC-003")).isEmpty();
        }

        @Test
        void bootstrapRolesAreNotReportedForTheirOwnWildcards() {
            String yaml = """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRole
                    metadata:
                      name: cluster-admin
                      labels: {kubernetes.io/bootstrapping: rbac-defaults}
                    rules:
                      - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
                    """;
            assertThat(scan(yaml).findings()).isEmpty();
        }

        @Test
        void aServiceAccountWithABindingMayKeepItsToken() {
            String yaml = """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: op, namespace: shop}
                    spec:
                      serviceAccountName: operator
                      containers: [{name: c, image: "registry.example.com/op:1.0"}]
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: operator, namespace: shop}
                    subjects: [{kind: ServiceAccount, name: operator}]
                    roleRef: {kind: Role, name: operator, apiGroup: rbac.authorization.k8s.io}
                    """;
            assertThat(of(scan(yaml), "SR-POD-009")).isEmpty();
            assertThat(of(scan(yaml.replace("name: operator}", "name: operator, namespace: other}")), "SR-POD-009")).hasSize(1);
        }
    }

    @Nested
    class ApiServerFlags {
        @Test
        void kubeadmStyleManifestWithoutFlagsGetsTheDefaultsReported() {
            String yaml = """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: kube-apiserver, namespace: kube-system}
                    spec:
                      containers:
                        - name: kube-apiserver
                          image: registry.k8s.io/kube-apiserver:v1.33.1
                          command:
                            - kube-apiserver
                            - --secure-port=6443
                    """;
            ScanResult r = scan(yaml);
            assertThat(of(r, "SR-API-001")).singleElement().extracting(Finding::message).asString().contains("defaults to true");
            assertThat(of(r, "SR-API-002")).singleElement().extracting(Finding::message).asString().contains("defaults to AlwaysAllow");
            assertThat(ids(r)).contains("SR-API-003", "SR-API-004");
        }

        @Test
        void authorizationConfigFileReplacesTheModeFlag() {
            String yaml = """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: kube-apiserver, namespace: kube-system}
                    spec:
                      containers:
                        - name: kube-apiserver
                          image: registry.k8s.io/kube-apiserver:v1.33.1
                          command: [kube-apiserver, --authorization-config=/etc/kubernetes/authz.yaml]
                    """;
            assertThat(of(scan(yaml), "SR-API-002")).isEmpty();
        }
    }
}
