package dev.strongroom.scan.rules.images;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-IMG-002: image not pinned by digest. */
public final class DigestPinRule implements Rule {
    static final RuleInfo INFO = rule("SR-IMG-002", "Images")
            .title("Image not pinned by digest")
            .severity(Severity.LOW)
            .refs("NSA-CISA Kubernetes Hardening Guide: image scanning and provenance",
                  "SLSA / supply-chain guidance: reference images by digest")
            .why("""
                 Tags are mutable, even versioned ones: whoever can push to the repository (or compromises it)
                 can replace what 1.4.2 points to. A digest names the exact content that was scanned and signed.""")
            .fix("""
                 containers:
                   - name: app
                     image: registry.example.com/team/app:1.4.2@sha256:<digest>""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        ImageRules.forEachImage(inventory, (c, ref) -> {
            if (ref.digest() == null) {
                findings.add(INFO, c.pod().owner(), c.pointer() + "/image", c.label() + " image "
                        + c.node().path("image").asText() + " is not pinned by digest");
            }
        });
    }
}
