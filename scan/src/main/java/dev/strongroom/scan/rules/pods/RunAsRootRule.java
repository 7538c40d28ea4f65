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
 * SR-POD-001: a container that runs, or may run, as root. It passes with {@code runAsNonRoot: true}
 * or with an explicit non-zero {@code runAsUser} (pod- or container-level; the container wins).
 */
public final class RunAsRootRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-001", "Pods")
            .title("Container may run as root (runAsNonRoot not true, or runAsUser 0)")
            .severity(Severity.HIGH)
            .refs("Pod Security Standards (restricted): Running as Non-root, Running as Non-root user",
                  "CIS Kubernetes Benchmark v1.8 5.2.7 (minimize the admission of root containers)",
                  "NSA-CISA Kubernetes Hardening Guide: non-root containers")
            .why("""
                 Without runAsNonRoot the image's USER decides, and most images run as root. Root in the
                 container is root on the node as soon as any other isolation fails (a kernel bug, a
                 hostPath, a capability), and it can modify everything in the container's filesystem.""")
            .fix("""
                 spec:
                   securityContext:
                     runAsNonRoot: true
                     runAsUser: 10001""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            if (pod.isWindows()) continue; // Windows pods use runAsUserName instead
            for (Container c : pod.containers()) {
                JsonNode user = c.effective("runAsUser");
                JsonNode nonRoot = c.effective("runAsNonRoot");
                if (user.isNumber() && user.asLong() == 0) {
                    findings.add(INFO, pod.owner(), c.effectivePointer("runAsUser"), c.label() + " runs as UID 0 (root)");
                } else if (!nonRoot.asBoolean(false) && !user.isNumber()) {
                    findings.add(INFO, pod.owner(), c.effectivePointer("runAsNonRoot"), c.label()
                            + (nonRoot.isMissingNode() ? " does not set runAsNonRoot, so the image decides and may run as root"
                                                       : " sets runAsNonRoot: false"));
                }
            }
        }
    }
}
