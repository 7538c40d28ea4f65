package dev.strongroom.scan.rules.resources;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.Map;

/** SR-RES-001 / SR-RES-002: a namespace without a ResourceQuota, or without a LimitRange. */
public final class NamespaceGuardRule implements Rule {
    static final RuleInfo QUOTA = rule("SR-RES-001", "Resources")
            .title("Namespace has no ResourceQuota")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 5.7.1 (create administrative boundaries between resources using namespaces)",
                  "NSA-CISA Kubernetes Hardening Guide: resource policies")
            .why("""
                 Without a quota one namespace (a bug, a fork bomb, a denial-of-service attack) can consume
                 every CPU, byte of memory and object slot of the cluster and starve all other workloads.""")
            .fix("""
                 apiVersion: v1
                 kind: ResourceQuota
                 metadata:
                   name: compute
                   namespace: team-a
                 spec:
                   hard:
                     requests.cpu: "4"
                     requests.memory: 8Gi
                     limits.cpu: "8"
                     limits.memory: 16Gi
                     pods: "50\"""");
    static final RuleInfo LIMIT_RANGE = rule("SR-RES-002", "Resources")
            .title("Namespace has no LimitRange")
            .severity(Severity.LOW)
            .refs("NSA-CISA Kubernetes Hardening Guide: resource policies")
            .why("""
                 A LimitRange gives containers that declare no limits a default, so one forgotten limit cannot
                 take a whole node; with a ResourceQuota on limits it is what lets such pods be admitted.""")
            .fix("""
                 apiVersion: v1
                 kind: LimitRange
                 metadata:
                   name: defaults
                   namespace: team-a
                 spec:
                   limits:
                     - type: Container
                       default:
                         cpu: 500m
                         memory: 512Mi
                       defaultRequest:
                         cpu: 100m
                         memory: 128Mi""");

    private final RuleInfo info;
    private final String kind;
    private final ScanOptions options;

    private NamespaceGuardRule(RuleInfo info, String kind, ScanOptions options) {
        this.info = info;
        this.kind = kind;
        this.options = options;
    }

    public static NamespaceGuardRule quota(ScanOptions options) {
        return new NamespaceGuardRule(QUOTA, "ResourceQuota", options);
    }

    public static NamespaceGuardRule limitRange(ScanOptions options) {
        return new NamespaceGuardRule(LIMIT_RANGE, "LimitRange", options);
    }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (Map.Entry<String, KubeObject> ns : inventory.namespacesInScope().entrySet()) {
            if (options.excludedNamespaces().contains(ns.getKey())) continue;
            if (inventory.inNamespace(kind, ns.getKey()).isEmpty()) {
                KubeObject anchor = ns.getValue();
                findings.add(info, anchor, anchor.kind().equals("Namespace") ? "/metadata/name" : "/metadata",
                        "namespace " + ns.getKey() + " has no " + kind);
            }
        }
    }
}
