package dev.strongroom.scan.rules.pss;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;

/**
 * One control of the Pod Security Standards, checked against every pod template. Subclasses
 * implement exactly the restricted fields and allowed values of the published standard
 * (kubernetes.io/docs/concepts/security/pod-security-standards, policy version "latest").
 */
abstract class PssControl implements Rule {
    private final RuleInfo info;

    PssControl(RuleInfo info) {
        this.info = info;
    }

    @Override
    public final RuleInfo info() {
        return info;
    }

    @Override
    public final void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) check(pod, findings);
    }

    abstract void check(PodTemplate pod, Findings findings);

    void report(PodTemplate pod, Findings findings, String pointer, String message) {
        findings.add(info, pod.owner(), pointer, message);
    }
}
