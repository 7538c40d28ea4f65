package dev.strongroom.scan.rules.rbac;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-RBAC-005: create on serviceaccounts/token, or pods/exec. */
public final class ExecAndTokenRule implements Rule {
    static final RuleInfo INFO = rule("SR-RBAC-005", "RBAC")
            .title("Role grants pods/exec or create serviceaccounts/token")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.13 (minimize access to the service account token creation)",
                  "Kubernetes RBAC good practices: pods/exec, token request")
            .why("""
                 pods/exec opens a shell in running containers, with their mounted Secrets and service-account
                 tokens; create on serviceaccounts/token mints a token for any service account in scope. Both
                 let the holder act with other identities' privileges.""")
            .fix("""
                 # Grant exec only to operators, in one namespace, and never token creation to workloads:
                 rules:
                   - apiGroups: [""]
                     resources: ["pods", "pods/log"]
                     verbs: ["get", "list", "watch"]""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject role : new RbacModel(inventory).roles()) {
            JsonNode rules = role.body().path("rules");
            for (int i = 0; i < rules.size(); i++) {
                JsonNode rule = rules.get(i);
                JsonNode resources = rule.path("resources");
                for (int j = 0; j < resources.size(); j++) {
                    String res = resources.get(j).asText();
                    // pods/exec is a POST (create) for kubectl, a GET (get) for websocket clients.
                    if (res.equals("pods/exec") && (explicit(rule, "create") || explicit(rule, "get"))) {
                        findings.add(INFO, role, "/rules/" + i + "/resources/" + j, role.kind() + " " + role.name() + " can exec into pods");
                    } else if (res.equals("serviceaccounts/token") && explicit(rule, "create")) {
                        findings.add(INFO, role, "/rules/" + i + "/resources/" + j, role.kind() + " " + role.name()
                                + " can create service-account tokens");
                    }
                }
            }
        }
    }

    // A '*' verb is SR-RBAC-001's finding; this rule reports the explicit grants.
    private static boolean explicit(JsonNode rule, String verb) {
        return PolicyRules.has(rule.path("verbs"), verb);
    }
}
