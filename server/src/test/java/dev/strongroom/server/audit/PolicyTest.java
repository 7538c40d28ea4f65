package dev.strongroom.server.audit;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.request.RequestInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Policy loading and evaluation, case by case against kube-apiserver's pkg/audit/policy (checker.go, validation.go). */
class PolicyTest {
    static final UserInfo ALICE = new UserInfo("alice", "", List.of("developers", "system:authenticated"), Map.of());
    static final UserInfo PROXY = new UserInfo("system:kube-proxy", "", List.of("system:authenticated"), Map.of());

    static RequestInfo res(String verb, String group, String resource, String sub, String ns, String name) {
        return new RequestInfo(true, "/x", verb, group.isEmpty() ? "api" : "apis", group, "v1", ns, resource, sub, name);
    }

    static RequestInfo path(String p) { return RequestInfo.nonResource(p, "get"); }

    static Policy policy(String yaml) { return Policy.parse(yaml.getBytes(StandardCharsets.UTF_8)); }

    /** The example policy of the Kubernetes documentation (k8s-security-formats.md §3.2). */
    static final String EXAMPLE = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages:
              - "RequestReceived"
            rules:
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

    @Test
    void theDocumentationsExamplePolicy() {
        Policy p = policy(EXAMPLE);
        assertThat(p.evaluate(ALICE, res("get", "", "pods", "", "default", "x")).level()).isEqualTo(Level.RequestResponse);
        // "pods" does not cover subresources; "pods/log" is its own rule.
        assertThat(p.evaluate(ALICE, res("get", "", "pods", "log", "default", "x")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("get", "", "pods", "exec", "default", "x")).level()).isEqualTo(Level.Request);
        assertThat(p.evaluate(ALICE, res("update", "", "configmaps", "", "default", "controller-leader")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, res("update", "", "configmaps", "", "default", "other")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("update", "", "configmaps", "", "kube-system", "other")).level()).isEqualTo(Level.Request);
        assertThat(p.evaluate(PROXY, res("watch", "", "endpoints", "", "default", "")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(PROXY, res("list", "", "endpoints", "", "default", "")).level()).isEqualTo(Level.Request);
        assertThat(p.evaluate(ALICE, path("/apis/apps/v1")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, path("/version")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, path("/healthz")).level()).isEqualTo(Level.Metadata);
        // No user (failed authentication): group rules cannot match.
        assertThat(p.evaluate(null, path("/api")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("get", "", "secrets", "", "default", "s")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("get", "apps", "deployments", "", "default", "d")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("get", "", "secrets", "", "default", "s")).omits(Stage.RequestReceived)).isTrue();
    }

    @Test
    void wildcardsAndClusterScope() {
        Policy p = policy("""
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: RequestResponse
                  resources: [{group: "", resources: ["*/token"]}]
                - level: Request
                  resources: [{group: "", resources: ["serviceaccounts/*"]}]
                - level: Metadata
                  namespaces: [""]
                - level: None
                """);
        assertThat(p.evaluate(ALICE, res("create", "", "serviceaccounts", "token", "default", "sa")).level()).isEqualTo(Level.RequestResponse);
        assertThat(p.evaluate(ALICE, res("get", "", "serviceaccounts", "status", "default", "sa")).level()).isEqualTo(Level.Request);
        // As upstream's checker: "serviceaccounts/*" also matches the resource itself (it compares the resource only).
        assertThat(p.evaluate(ALICE, res("get", "", "serviceaccounts", "", "default", "sa")).level()).isEqualTo(Level.Request);
        assertThat(p.evaluate(ALICE, res("get", "", "secrets", "", "default", "s")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, res("get", "", "namespaces", "", "", "default")).level()).isEqualTo(Level.Metadata);
        // A namespaces rule never matches a non-resource request.
        assertThat(p.evaluate(ALICE, path("/version")).level()).isEqualTo(Level.None);
    }

    @Test
    void stagesAreTheUnionAndManagedFieldsTheRulesWord() {
        Policy p = policy("""
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                omitManagedFields: true
                rules:
                - level: Request
                  omitStages: ["ResponseStarted"]
                  omitManagedFields: false
                  verbs: ["create"]
                - level: Metadata
                """);
        Policy.Decision create = p.evaluate(ALICE, res("create", "", "secrets", "", "default", ""));
        assertThat(create.omitStages()).isEqualTo(Set.of(Stage.RequestReceived, Stage.ResponseStarted));
        assertThat(create.omitManagedFields()).isFalse();
        Policy.Decision get = p.evaluate(ALICE, res("get", "", "secrets", "", "default", "x"));
        assertThat(get.omitStages()).isEqualTo(Set.of(Stage.RequestReceived));
        assertThat(get.omitManagedFields()).isTrue();
    }

    @Test
    void theDefaultPolicy() {
        Policy p = Policy.defaults();
        assertThat(p.evaluate(null, path("/healthz")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, path("/readyz")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, path("/livez/ping")).level()).isEqualTo(Level.None);
        assertThat(p.evaluate(ALICE, res("get", "", "secrets", "", "default", "s")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("create", "", "serviceaccounts", "token", "default", "sa")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("create", "authentication.k8s.io", "tokenreviews", "", "", "")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, path("/version")).level()).isEqualTo(Level.Metadata);
        assertThat(p.evaluate(ALICE, res("get", "", "secrets", "", "default", "s")).omits(Stage.RequestReceived)).isTrue();
    }

    @Test
    void invalidPoliciesAreRefusedWithUpstreamsMessages() {
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n"))
                .hasMessage("loaded illegal policy with 0 rules");
        assertThatThrownBy(() -> policy("apiVersion: v1\nkind: Policy\nrules: [{level: None}]\n"))
                .hasMessageContaining("unknown group version");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]\n"))
                .hasMessage("rules[0].level: Unsupported value: \"Everything\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\"");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [\"/a*b\"]}]\n"))
                .hasMessageContaining("non-resource URL wildcards '*' must be the final character of the rule");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [\"/a\"], namespaces: [x]}]\n"))
                .hasMessageContaining("rules cannot apply to both regular resources and non-resource URLs");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{group: \"\", resourceNames: [x]}]}]\n"))
                .hasMessageContaining("using resourceNames requires at least one resource");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, omitStages: [Sometimes]}]\n"))
                .hasMessageContaining("allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic");
        assertThatThrownBy(() -> policy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{group: \"rbac.authorization.k8s.io/v1\"}]}]\n"))
                .hasMessageContaining("rules[0].resources.group: Invalid value");
    }
}
