package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/**
 * SR-POD-003: allowPrivilegeEscalation not false. Unset is a failure: the kernel's no_new_privs
 * flag is only set when the field is explicitly false.
 */
public final class PrivilegeEscalationRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-003", "Pods")
            .title("allowPrivilegeEscalation is not false (unset defaults to true)")
            .severity(Severity.MEDIUM)
            .refs("Pod Security Standards (restricted): Privilege Escalation",
                  "CIS Kubernetes Benchmark v1.8 5.2.6 (minimize the admission of containers with allowPrivilegeEscalation)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 Unless allowPrivilegeEscalation is explicitly false, the container runtime does not set
                 no_new_privs, so a setuid binary (sudo, su, a planted one) can make a non-root process root.
                 Leaving the field out is the same as setting it to true.""")
            .fix("""
                 containers:
                   - name: app
                     securityContext:
                       allowPrivilegeEscalation: false""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            if (pod.isWindows()) continue; // no setuid on Windows; the field is rejected there
            for (Container c : pod.containers()) {
                JsonNode ape = c.securityContext().path("allowPrivilegeEscalation");
                if (ape.isBoolean() && !ape.asBoolean()) continue;
                findings.add(INFO, pod.owner(), c.securityContextPointer("allowPrivilegeEscalation"), c.label()
                        + (ape.isMissingNode() || ape.isNull()
                           ? " does not set allowPrivilegeEscalation, which defaults to true"
                           : " sets allowPrivilegeEscalation: true"));
            }
        }
    }
}
