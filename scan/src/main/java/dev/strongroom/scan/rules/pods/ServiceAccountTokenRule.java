package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SR-POD-009: a pod gets an API token although its service account holds no RoleBinding or
 * ClusterRoleBinding. The pod's {@code automountServiceAccountToken} wins; if unset, the
 * ServiceAccount's; if that is unset too, the token is mounted.
 */
public final class ServiceAccountTokenRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-009", "Pods")
            .title("Service-account token mounted for an account that holds no bindings")
            .severity(Severity.LOW)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.6 (ensure that Service Account Tokens are only mounted where necessary)",
                  "NSA-CISA Kubernetes Hardening Guide: service account tokens")
            .why("""
                 Every mounted token is a credential an attacker who gets code execution in the pod can use
                 against the API server. An account with no bindings has no use for it; not mounting it removes
                 the credential altogether (and keeps it from gaining power if someone binds a role later).""")
            .fix("""
                 spec:
                   automountServiceAccountToken: false""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        Set<String> bound = boundAccounts(inventory);
        for (PodTemplate pod : inventory.podTemplates()) {
            String ns = pod.owner().namespace();
            String sa = pod.serviceAccountName();
            if (bound.contains(ns + "/" + sa)) continue;
            JsonNode podSetting = pod.spec().path("automountServiceAccountToken");
            Boolean mounted = podSetting.isBoolean() ? podSetting.asBoolean() : null;
            if (mounted == null) {
                for (KubeObject account : inventory.inNamespace("ServiceAccount", ns)) {
                    JsonNode v = account.body().path("automountServiceAccountToken");
                    if (account.name().equals(sa) && v.isBoolean()) mounted = v.asBoolean();
                }
            }
            if (mounted == null || mounted) {
                findings.add(INFO, pod.owner(), pod.pointer("/automountServiceAccountToken"), pod.owner().displayName()
                        + " mounts a token for service account " + ns + "/" + sa + ", which holds no RoleBinding or ClusterRoleBinding");
            }
        }
    }

    /** "namespace/name" of every service account some binding names as a subject. */
    static Set<String> boundAccounts(Inventory inventory) {
        Set<String> bound = new HashSet<>();
        for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
            for (KubeObject b : inventory.ofKind(kind)) {
                for (JsonNode s : b.body().path("subjects")) {
                    if (!s.path("kind").asText().equals("ServiceAccount")) continue;
                    // A RoleBinding's subject defaults to the binding's namespace; a ClusterRoleBinding's has none.
                    String ns = s.path("namespace").asText("");
                    if (ns.isEmpty() && kind.equals("RoleBinding")) ns = b.namespace();
                    bound.add(ns + "/" + s.path("name").asText());
                }
            }
        }
        return bound;
    }
}
