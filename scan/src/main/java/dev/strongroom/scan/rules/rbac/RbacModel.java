package dev.strongroom.scan.rules.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.LabelSelectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves what a role reference grants, the way the API server would: a RoleBinding's Role in the
 * binding's namespace, a ClusterRole (with its aggregated rules: the union of the rules of every
 * ClusterRole matching its {@code aggregationRule}, recursively), and the default user-facing
 * ClusterRoles {@code cluster-admin}, {@code admin}, {@code edit}, {@code view} when the scan does
 * not contain them.
 */
final class RbacModel {
    /** A rule and the role it was written in (for messages: "aggregated from ..."). */
    record Grant(JsonNode rule, String from) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    // The parts of the bootstrap roles that matter to these checks (bootstrappolicy/policy.go).
    private static final Map<String, String> BUILT_IN = Map.of(
            "cluster-admin", "[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]},{\"nonResourceURLs\":[\"*\"],\"verbs\":[\"*\"]}]",
            "admin", "[]",
            "edit", "[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\",\"pods\",\"configmaps\",\"serviceaccounts\"],\"verbs\":[\"get\",\"list\",\"watch\",\"create\",\"update\",\"patch\",\"delete\",\"deletecollection\"]},"
                    + "{\"apiGroups\":[\"\"],\"resources\":[\"pods/exec\",\"pods/attach\",\"pods/portforward\",\"serviceaccounts/token\"],\"verbs\":[\"create\",\"get\"]},"
                    + "{\"apiGroups\":[\"\"],\"resources\":[\"serviceaccounts\"],\"verbs\":[\"impersonate\"]}]",
            "view", "[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"configmaps\",\"services\",\"serviceaccounts\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]");
    // Default aggregation chain: admin ⊇ edit ⊇ view (each also takes the aggregate-to-<name> label).
    private static final Map<String, String> BUILT_IN_AGGREGATES = Map.of("admin", "edit", "edit", "view");

    private final Inventory inventory;

    RbacModel(Inventory inventory) {
        this.inventory = inventory;
    }

    /** The rules a binding's roleRef grants. */
    List<Grant> grants(KubeObject binding) {
        JsonNode ref = binding.body().path("roleRef");
        String kind = ref.path("kind").asText();
        String name = ref.path("name").asText();
        if (kind.equals("Role")) {
            for (KubeObject role : inventory.inNamespace("Role", binding.namespace())) {
                if (role.name().equals(name)) return rulesOf(role, "Role " + name);
            }
            return List.of();
        }
        return clusterRole(name, new HashSet<>());
    }

    private List<Grant> clusterRole(String name, Set<String> visiting) {
        if (!visiting.add(name)) return List.of();
        List<Grant> out = new ArrayList<>();
        KubeObject scanned = null;
        for (KubeObject cr : inventory.ofKind("ClusterRole")) if (cr.name().equals(name)) scanned = cr;
        if (scanned != null) {
            out.addAll(rulesOf(scanned, "ClusterRole " + name));
            JsonNode selectors = scanned.body().path("aggregationRule").path("clusterRoleSelectors");
            for (KubeObject other : inventory.ofKind("ClusterRole")) {
                if (other == scanned) continue;
                for (JsonNode selector : selectors) {
                    if (LabelSelectors.matches(selector, other.metadata().path("labels"))) {
                        for (Grant g : clusterRole(other.name(), visiting)) out.add(new Grant(g.rule(), g.from() + " (aggregated into " + name + ")"));
                        break;
                    }
                }
            }
            return out;
        }
        if (BUILT_IN.containsKey(name)) {
            try {
                for (JsonNode rule : JSON.readTree(BUILT_IN.get(name))) out.add(new Grant(rule, "built-in ClusterRole " + name));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String label = "rbac.authorization.k8s.io/aggregate-to-" + name;
            for (KubeObject other : inventory.ofKind("ClusterRole")) {
                if ("true".equals(other.metadata().path("labels").path(label).asText())) {
                    for (Grant g : clusterRole(other.name(), visiting)) out.add(new Grant(g.rule(), g.from() + " (aggregated into " + name + ")"));
                }
            }
            String inner = BUILT_IN_AGGREGATES.get(name);
            if (inner != null) out.addAll(clusterRole(inner, visiting));
        }
        return out;
    }

    private static List<Grant> rulesOf(KubeObject role, String from) {
        List<Grant> out = new ArrayList<>();
        for (JsonNode rule : role.body().path("rules")) out.add(new Grant(rule, from));
        return out;
    }

    /** Bindings of both kinds. */
    List<KubeObject> bindings() {
        List<KubeObject> all = new ArrayList<>(inventory.ofKind("ClusterRoleBinding"));
        all.addAll(inventory.ofKind("RoleBinding"));
        return all;
    }

    /** Roles of both kinds, minus the bootstrap defaults (which are broad by design). */
    List<KubeObject> roles() {
        List<KubeObject> all = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "Role")) {
            for (KubeObject r : inventory.ofKind(kind)) {
                if (!"rbac-defaults".equals(r.metadata().path("labels").path("kubernetes.io/bootstrapping").asText())) all.add(r);
            }
        }
        return all;
    }
}
