package dev.strongroom.scan.rules.rbac;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.Set;

/** SR-RBAC-004: the verbs that bypass RBAC's own escalation checks. */
public final class EscalationVerbRule implements Rule {
    static final RuleInfo INFO = rule("SR-RBAC-004", "RBAC")
            .title("Role grants escalate, bind or impersonate")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.8 (limit use of the Bind, Impersonate and Escalate permissions)",
                  "Kubernetes RBAC good practices: privilege escalation risks")
            .why("""
                 escalate lets a subject write roles with permissions it does not hold, bind lets it bind any
                 role (cluster-admin included) to itself, and impersonate lets it act as any user, group or
                 service account. Each is equivalent to cluster-admin for whoever holds it.""")
            .fix("""
                 # Remove the verb; grant the concrete permissions instead:
                 rules:
                   - apiGroups: ["rbac.authorization.k8s.io"]
                     resources: ["rolebindings"]
                     verbs: ["get", "list", "watch"]""");

    private static final Set<String> VERBS = Set.of("escalate", "bind", "impersonate");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject role : new RbacModel(inventory).roles()) {
            JsonNode rules = role.body().path("rules");
            for (int i = 0; i < rules.size(); i++) {
                JsonNode verbs = rules.get(i).path("verbs");
                for (int j = 0; j < verbs.size(); j++) {
                    String verb = verbs.get(j).asText();
                    if (VERBS.contains(verb)) {
                        findings.add(INFO, role, "/rules/" + i + "/verbs/" + j, role.kind() + " " + role.name()
                                + " grants '" + verb + "' on " + rules.get(i).path("resources"));
                    }
                }
            }
        }
    }
}
