package dev.strongroom.scan.rules.rbac;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SR-RBAC-003: get/list/watch on Secrets granted to a broad group, resolved through the binding's
 * role, including rules aggregated into ClusterRoles.
 */
public final class BroadSecretAccessRule implements Rule {
    static final RuleInfo INFO = rule("SR-RBAC-003", "RBAC")
            .title("Read access to Secrets granted to a broad group (all users, anonymous, all service accounts)")
            .severity(Severity.CRITICAL)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.2 (minimize access to secrets)",
                  "NSA-CISA Kubernetes Hardening Guide: least privilege")
            .why("""
                 system:authenticated is every signed-in identity, system:unauthenticated is anyone who can
                 reach the API server, and system:serviceaccounts[:<ns>] is every pod's token: binding Secret
                 reads to them makes every Secret readable by whoever compromises any one of them. list and
                 watch return values too, not just names.""")
            .fix("""
                 # Bind secret access to the one service account that needs it:
                 subjects:
                   - kind: ServiceAccount
                     name: app
                     namespace: team-a""");

    private static final List<String> READ_VERBS = List.of("get", "list", "watch");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        RbacModel model = new RbacModel(inventory);
        for (KubeObject binding : model.bindings()) {
            JsonNode subjects = binding.body().path("subjects");
            List<Integer> broad = new ArrayList<>();
            for (int i = 0; i < subjects.size(); i++) if (isBroad(subjects.get(i))) broad.add(i);
            if (broad.isEmpty()) continue;
            Set<String> verbs = new LinkedHashSet<>();
            Set<String> via = new LinkedHashSet<>();
            for (RbacModel.Grant g : model.grants(binding)) {
                for (String verb : READ_VERBS) {
                    if (PolicyRules.allows(g.rule(), verb, "", "secrets")) {
                        verbs.add(verb);
                        via.add(g.from());
                    }
                }
            }
            if (verbs.isEmpty()) continue;
            String scope = binding.kind().equals("ClusterRoleBinding") ? "in every namespace" : "in namespace " + binding.namespace();
            for (int i : broad) {
                JsonNode s = subjects.get(i);
                findings.add(INFO, binding, "/subjects/" + i, binding.kind() + " " + binding.name() + " grants "
                        + String.join(", ", verbs) + " on secrets " + scope + " to " + s.path("kind").asText() + " "
                        + s.path("name").asText() + describe(s.path("name").asText()) + " via " + String.join("; ", via));
            }
        }
    }

    static boolean isBroad(JsonNode subject) {
        String kind = subject.path("kind").asText();
        String name = subject.path("name").asText();
        if (kind.equals("Group")) {
            return name.equals("system:authenticated") || name.equals("system:unauthenticated")
                    || name.equals("system:serviceaccounts") || name.startsWith("system:serviceaccounts:");
        }
        return kind.equals("User") && name.equals("system:anonymous");
    }

    private static String describe(String name) {
        if (name.equals("system:authenticated")) return " (every authenticated user)";
        if (name.equals("system:unauthenticated") || name.equals("system:anonymous")) return " (anyone, without credentials)";
        if (name.equals("system:serviceaccounts")) return " (every service account in the cluster)";
        if (name.startsWith("system:serviceaccounts:")) return " (every service account of namespace " + name.substring(23) + ")";
        return "";
    }
}
