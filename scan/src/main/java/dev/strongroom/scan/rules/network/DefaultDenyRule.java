package dev.strongroom.scan.rules.network;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.Locale;
import java.util.Map;

/** SR-NET-001 / SR-NET-002: a namespace without a true default-deny policy, per direction. */
public final class DefaultDenyRule implements Rule {
    static final RuleInfo INGRESS = rule("SR-NET-001", "Network")
            .title("Namespace has no default-deny NetworkPolicy for ingress")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 5.3.2 (ensure that all namespaces have NetworkPolicies defined)",
                  "NSA-CISA Kubernetes Hardening Guide: network separation (default deny)")
            .why("""
                 Without a policy that selects every pod and allows nothing, any pod in the cluster can
                 connect to any pod of this namespace: one compromised workload can reach them all. A true
                 default-deny has an empty podSelector, lists Ingress in policyTypes (or omits policyTypes,
                 which implies Ingress) and has no ingress rules.""")
            .fix("""
                 apiVersion: networking.k8s.io/v1
                 kind: NetworkPolicy
                 metadata:
                   name: default-deny-ingress
                   namespace: team-a
                 spec:
                   podSelector: {}
                   policyTypes: ["Ingress"]""");
    static final RuleInfo EGRESS = rule("SR-NET-002", "Network")
            .title("Namespace has no default-deny NetworkPolicy for egress")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 5.3.2 (ensure that all namespaces have NetworkPolicies defined)", "NSA-CISA Kubernetes Hardening Guide: network separation (default deny)")
            .why("""
                 Without an egress default-deny, a compromised pod can reach the API server, cloud metadata
                 endpoints and the internet to exfiltrate data. Egress is only isolated when Egress is listed
                 in policyTypes (or the policy has egress rules); an `egress: []` without policyTypes does
                 nothing.""")
            .fix("""
                 apiVersion: networking.k8s.io/v1
                 kind: NetworkPolicy
                 metadata:
                   name: default-deny-egress
                   namespace: team-a
                 spec:
                   podSelector: {}
                   policyTypes: ["Egress"]""");

    private final RuleInfo info;
    private final String direction;
    private final ScanOptions options;

    private DefaultDenyRule(RuleInfo info, String direction, ScanOptions options) {
        this.info = info;
        this.direction = direction;
        this.options = options;
    }

    public static DefaultDenyRule ingress(ScanOptions options) {
        return new DefaultDenyRule(INGRESS, "Ingress", options);
    }

    public static DefaultDenyRule egress(ScanOptions options) {
        return new DefaultDenyRule(EGRESS, "Egress", options);
    }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (Map.Entry<String, KubeObject> ns : inventory.namespacesInScope().entrySet()) {
            if (options.excludedNamespaces().contains(ns.getKey())) continue;
            boolean denied = inventory.inNamespace("NetworkPolicy", ns.getKey()).stream()
                    .anyMatch(p -> NetworkPolicies.isDefaultDeny(p, direction));
            if (!denied) {
                KubeObject anchor = ns.getValue();
                findings.add(info, anchor, anchor.kind().equals("Namespace") ? "/metadata/name" : "/metadata",
                        "namespace " + ns.getKey() + " has no default-deny " + direction.toLowerCase(Locale.ROOT) + " NetworkPolicy");
            }
        }
    }
}
