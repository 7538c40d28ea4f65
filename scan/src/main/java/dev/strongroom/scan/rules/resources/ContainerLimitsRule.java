package dev.strongroom.scan.rules.resources;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * SR-RES-003: a container without a CPU or memory limit. A LimitRange default in the same
 * namespace fills the limit in at admission, so it counts as set.
 */
public final class ContainerLimitsRule implements Rule {
    static final RuleInfo INFO = rule("SR-RES-003", "Resources")
            .title("Container has no CPU or memory limit")
            .severity(Severity.MEDIUM)
            .refs("NSA-CISA Kubernetes Hardening Guide: resource policies",
                  "Kubernetes docs: Resource Management for Pods and Containers")
            .why("""
                 A container without limits can use all of a node's CPU and memory, starving its neighbours
                 (including the kubelet) and turning one bug or attack into a node-wide outage.""")
            .fix("""
                 containers:
                   - name: app
                     resources:
                       requests:
                         cpu: 100m
                         memory: 128Mi
                       limits:
                         cpu: 500m
                         memory: 256Mi""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            List<KubeObject> limitRanges = inventory.inNamespace("LimitRange", pod.owner().namespace());
            for (Container c : pod.containers()) {
                if (c.field().equals("ephemeralContainers")) continue; // they may not set resources
                JsonNode limits = c.node().path("resources").path("limits");
                List<String> missing = new ArrayList<>();
                for (String r : List.of("cpu", "memory")) {
                    if (!limits.has(r) && !defaultedBy(limitRanges, r)) missing.add(r);
                }
                if (!missing.isEmpty()) {
                    findings.add(INFO, pod.owner(), c.pointer() + "/resources/limits",
                            c.label() + " has no " + String.join(" or ", missing) + " limit");
                }
            }
        }
    }

    private static boolean defaultedBy(List<KubeObject> limitRanges, String resource) {
        for (KubeObject lr : limitRanges) {
            for (JsonNode limit : lr.body().path("spec").path("limits")) {
                if (limit.path("type").asText("Container").equals("Container") && limit.path("default").has(resource)) return true;
            }
        }
        return false;
    }
}
