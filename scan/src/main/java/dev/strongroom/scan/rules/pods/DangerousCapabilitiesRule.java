package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.Locale;

/** SR-POD-006: dangerous capabilities added. */
public final class DangerousCapabilitiesRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-006", "Pods")
            .title("Container adds a dangerous capability (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...)")
            .severity(Severity.HIGH)
            .refs("Pod Security Standards (baseline): Capabilities",
                  "CIS Kubernetes Benchmark v1.8 5.2.9 (minimize the admission of containers with added capabilities)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 SYS_ADMIN is nearly root on the host (mount, namespaces, BPF); NET_ADMIN rewrites the node's
                 network; SYS_PTRACE reads other processes' memory (and their secrets); SYS_MODULE loads kernel
                 code. Each is a documented container-escape path.""")
            .fix("""
                 containers:
                   - name: app
                     securityContext:
                       capabilities:
                         drop: ["ALL"]""");

    private final ScanOptions options;

    public DangerousCapabilitiesRule(ScanOptions options) {
        this.options = options;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            if (pod.isWindows()) continue;
            for (Container c : pod.containers()) {
                JsonNode add = c.securityContext().path("capabilities").path("add");
                for (int i = 0; i < add.size(); i++) {
                    String cap = normalize(add.get(i).asText());
                    if (options.dangerousCapabilities().contains(cap)) {
                        findings.add(INFO, pod.owner(), c.securityContextPointer("capabilities/add/" + i),
                                c.label() + " adds capability " + cap);
                    }
                }
            }
        }
    }

    static String normalize(String cap) {
        String c = cap.toUpperCase(Locale.ROOT);
        return c.startsWith("CAP_") ? c.substring(4) : c;
    }
}
