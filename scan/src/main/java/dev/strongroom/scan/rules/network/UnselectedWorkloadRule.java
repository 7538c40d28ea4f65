package dev.strongroom.scan.rules.network;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.List;

/** SR-NET-003: a workload whose pods no NetworkPolicy selects, so they accept all traffic. */
public final class UnselectedWorkloadRule implements Rule {
    static final RuleInfo INFO = rule("SR-NET-003", "Network")
            .title("Workload selected by no NetworkPolicy")
            .severity(Severity.LOW)
            .refs("CIS Kubernetes Benchmark v1.8 5.3.2 (ensure that all namespaces have NetworkPolicies defined)", "NSA-CISA Kubernetes Hardening Guide: network separation")
            .why("""
                 Pods that no NetworkPolicy selects are not isolated at all: every other pod can reach them
                 and they can reach everything. Selecting them (a default-deny selects all pods) makes the
                 allowed flows explicit.""")
            .fix("""
                 apiVersion: networking.k8s.io/v1
                 kind: NetworkPolicy
                 metadata:
                   name: web-allow-frontend
                   namespace: team-a
                 spec:
                   podSelector:
                     matchLabels:
                       app: web
                   policyTypes: ["Ingress"]
                   ingress:
                     - from:
                         - podSelector:
                             matchLabels:
                               app: frontend""");

    private final ScanOptions options;

    public UnselectedWorkloadRule(ScanOptions options) {
        this.options = options;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            String ns = pod.owner().namespace();
            if (options.excludedNamespaces().contains(ns)) continue;
            List<KubeObject> policies = inventory.inNamespace("NetworkPolicy", ns);
            if (policies.stream().noneMatch(p -> NetworkPolicies.selects(p, pod.labels()))) {
                findings.add(INFO, pod.owner(), pod.metaPointer() + "/labels",
                        pod.owner().displayName() + ": no NetworkPolicy in namespace " + ns + " selects its pods");
            }
        }
    }
}
