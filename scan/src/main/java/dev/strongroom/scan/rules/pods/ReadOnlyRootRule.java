package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-POD-004: the root filesystem is writable. */
public final class ReadOnlyRootRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-004", "Pods")
            .title("Root filesystem is not read-only")
            .severity(Severity.LOW)
            .refs("NSA-CISA Kubernetes Hardening Guide: immutable container file systems",
                  "CIS Kubernetes Benchmark v1.8 5.7.3 (apply security context to your pods and containers)")
            .why("""
                 A writable root filesystem lets an attacker drop tools, modify binaries and persist inside
                 the container. Mount an emptyDir where the application really needs to write.""")
            .fix("""
                 containers:
                   - name: app
                     securityContext:
                       readOnlyRootFilesystem: true
                     volumeMounts:
                       - name: tmp
                         mountPath: /tmp
                 volumes:
                   - name: tmp
                     emptyDir: {}""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            if (pod.isWindows()) continue;
            for (Container c : pod.containers()) {
                if (!c.securityContext().path("readOnlyRootFilesystem").asBoolean(false)) {
                    findings.add(INFO, pod.owner(), c.securityContextPointer("readOnlyRootFilesystem"),
                            c.label() + " has a writable root filesystem");
                }
            }
        }
    }
}
