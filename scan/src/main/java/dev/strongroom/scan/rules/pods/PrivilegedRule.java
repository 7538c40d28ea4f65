package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-POD-002: a privileged container. */
public final class PrivilegedRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-002", "Pods")
            .title("Privileged container")
            .severity(Severity.CRITICAL)
            .refs("Pod Security Standards (baseline): Privileged Containers",
                  "CIS Kubernetes Benchmark v1.8 5.2.2 (minimize the admission of privileged containers)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 A privileged container has every capability and every host device, with no seccomp or
                 AppArmor confinement: it is root on the node, and through the node's kubelet credentials it
                 can read the Secrets of every pod scheduled there.""")
            .fix("""
                 containers:
                   - name: app
                     securityContext:
                       privileged: false""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            for (Container c : pod.containers()) {
                if (c.securityContext().path("privileged").asBoolean(false)) {
                    findings.add(INFO, pod.owner(), c.securityContextPointer("privileged"), c.label() + " is privileged");
                }
            }
        }
    }
}
