package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.List;

/** SR-POD-008: hostNetwork, hostPID or hostIPC. */
public final class HostNamespacesRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-008", "Pods")
            .title("Pod shares a host namespace (hostNetwork, hostPID, hostIPC)")
            .severity(Severity.HIGH)
            .refs("Pod Security Standards (baseline): Host Namespaces",
                  "CIS Kubernetes Benchmark v1.8 5.2.3, 5.2.4, 5.2.5 (hostPID, hostIPC, hostNetwork)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 hostNetwork bypasses NetworkPolicies and exposes node-local services (kubelet, metadata
                 endpoints); hostPID lets the pod see and signal every process on the node, and read their
                 environment (with its secrets); hostIPC shares the node's shared memory.""")
            .fix("""
                 spec:
                   hostNetwork: false
                   hostPID: false
                   hostIPC: false""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (pod.spec().path(field).asBoolean(false)) {
                    findings.add(INFO, pod.owner(), pod.pointer("/" + field), pod.owner().displayName() + " sets " + field + ": true");
                }
            }
        }
    }
}
