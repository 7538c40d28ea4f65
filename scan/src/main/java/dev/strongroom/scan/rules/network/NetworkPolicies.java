package dev.strongroom.scan.rules.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.LabelSelectors;
import java.util.LinkedHashSet;
import java.util.Set;

/** NetworkPolicy semantics as the API server defaults them and CNI plugins enforce them. */
final class NetworkPolicies {
    private NetworkPolicies() {}

    /**
     * The policy types in effect: as listed, or, when {@code policyTypes} is empty, {@code Ingress}
     * plus {@code Egress} if the policy has at least one egress rule (SetDefaults_NetworkPolicySpec).
     * So {@code egress: []} without policyTypes does <em>not</em> isolate egress.
     */
    static Set<String> effectiveTypes(JsonNode spec) {
        Set<String> types = new LinkedHashSet<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asText()));
        if (types.isEmpty()) {
            types.add("Ingress");
            if (spec.path("egress").size() > 0) types.add("Egress");
        }
        return types;
    }

    /**
     * A true default-deny for {@code direction} ("Ingress" or "Egress"): selects every pod of the
     * namespace (an empty selector, however it is written), isolates that direction, and allows
     * nothing in it (the rule list absent or empty). A rule such as {@code - {}} allows everything.
     */
    static boolean isDefaultDeny(KubeObject policy, String direction) {
        JsonNode spec = policy.body().path("spec");
        if (!LabelSelectors.isEmpty(spec.path("podSelector"))) return false;
        if (!effectiveTypes(spec).contains(direction)) return false;
        return spec.path(direction.equals("Ingress") ? "ingress" : "egress").size() == 0;
    }

    static boolean selects(KubeObject policy, JsonNode podLabels) {
        return LabelSelectors.matches(policy.body().path("spec").path("podSelector"), podLabels);
    }
}
