package dev.strongroom.scan.rules.rbac;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.List;

/** SR-RBAC-001: "*" in verbs, resources or apiGroups of a Role or ClusterRole. */
public final class WildcardRule implements Rule {
    static final RuleInfo INFO = rule("SR-RBAC-001", "RBAC")
            .title("Wildcard (*) in a role's verbs, resources or apiGroups")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.3 (minimize wildcard use in Roles and ClusterRoles)",
                  "NSA-CISA Kubernetes Hardening Guide: least privilege")
            .why("""
                 A wildcard grants everything that exists now and everything added later (new resources,
                 CRDs, subresources such as pods/exec and serviceaccounts/token, verbs such as escalate),
                 which is never least privilege.""")
            .fix("""
                 rules:
                   - apiGroups: ["apps"]
                     resources: ["deployments"]
                     verbs: ["get", "list", "watch", "update", "patch"]""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject role : new RbacModel(inventory).roles()) {
            JsonNode rules = role.body().path("rules");
            for (int i = 0; i < rules.size(); i++) {
                for (String field : List.of("verbs", "resources", "apiGroups")) {
                    JsonNode list = rules.get(i).path(field);
                    for (int j = 0; j < list.size(); j++) {
                        if (list.get(j).asText().equals("*")) {
                            findings.add(INFO, role, "/rules/" + i + "/" + field + "/" + j,
                                    role.kind() + " " + role.name() + " rule #" + (i + 1) + " grants all " + field);
                        }
                    }
                }
            }
        }
    }
}
