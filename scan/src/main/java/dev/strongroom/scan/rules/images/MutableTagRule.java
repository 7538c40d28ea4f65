package dev.strongroom.scan.rules.images;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-IMG-001: {@code :latest} or no tag (and no digest). */
public final class MutableTagRule implements Rule {
    static final RuleInfo INFO = rule("SR-IMG-001", "Images")
            .title("Image uses :latest or no tag")
            .severity(Severity.MEDIUM)
            .refs("NSA-CISA Kubernetes Hardening Guide: image scanning and provenance",
                  "Kubernetes docs: Images (avoid :latest in production)")
            .why("""
                 :latest (which is also what no tag means) changes under you: nodes run whatever was pushed
                 last, rollbacks do not roll back, and an image you scanned is not necessarily the one you run.""")
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
            if (ref.digest() != null) return; // a digest pins the content whatever the tag says
            if (ref.tag() == null) {
                findings.add(INFO, c.pod().owner(), c.pointer() + "/image", c.label() + " image " + c.node().path("image").asText()
                        + " has no tag, so it means :latest");
            } else if (ref.tag().equals("latest")) {
                findings.add(INFO, c.pod().owner(), c.pointer() + "/image", c.label() + " uses the mutable tag :latest");
            }
        });
    }
}
