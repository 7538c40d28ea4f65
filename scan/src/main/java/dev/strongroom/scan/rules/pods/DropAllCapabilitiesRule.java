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

/** SR-POD-005: capabilities do not drop ALL. */
public final class DropAllCapabilitiesRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-005", "Pods")
            .title("Container does not drop ALL capabilities")
            .severity(Severity.MEDIUM)
            .refs("Pod Security Standards (restricted): Capabilities",
                  "CIS Kubernetes Benchmark v1.8 5.2.10 (minimize the admission of containers with capabilities assigned) and 5.2.8 (NET_RAW)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID, ...) that
                 most applications never use; NET_RAW alone allows ARP and DNS spoofing on the pod network.
                 Drop them all and add back only what is needed.""")
            .fix("""
                 containers:
                   - name: app
                     securityContext:
                       capabilities:
                         drop: ["ALL"]
                         add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            if (pod.isWindows()) continue;
            for (Container c : pod.containers()) {
                JsonNode drop = c.securityContext().path("capabilities").path("drop");
                boolean all = false;
                for (JsonNode d : drop) all |= d.asText().equals("ALL");
                if (!all) {
                    findings.add(INFO, pod.owner(), c.securityContextPointer("capabilities/drop"),
                            c.label() + " keeps the runtime's default capabilities (drop does not contain ALL)");
                }
            }
        }
    }
}
