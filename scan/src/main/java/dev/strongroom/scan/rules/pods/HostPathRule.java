package dev.strongroom.scan.rules.pods;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-POD-007: a hostPath volume. */
public final class HostPathRule implements Rule {
    static final RuleInfo INFO = rule("SR-POD-007", "Pods")
            .title("hostPath volume")
            .severity(Severity.HIGH)
            .refs("Pod Security Standards (baseline): HostPath Volumes",
                  "CIS Kubernetes Benchmark v1.8 5.2.12 (minimize the admission of HostPath volumes)",
                  "NSA-CISA Kubernetes Hardening Guide: pod security")
            .why("""
                 A hostPath mounts the node's filesystem into the pod: /var/lib/kubelet holds other pods'
                 Secrets, /etc/kubernetes the cluster's credentials, the container runtime socket is full
                 control of the node.""")
            .fix("""
                 volumes:
                   - name: data
                     persistentVolumeClaim:
                       claimName: app-data     # or emptyDir: {} for scratch space""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            JsonNode volumes = pod.spec().path("volumes");
            for (int i = 0; i < volumes.size(); i++) {
                JsonNode hp = volumes.get(i).path("hostPath");
                if (hp.isObject()) {
                    findings.add(INFO, pod.owner(), pod.pointer("/volumes/" + i + "/hostPath"), "volume \""
                            + volumes.get(i).path("name").asText() + "\" mounts host path " + hp.path("path").asText("?"));
                }
            }
        }
    }
}
