package dev.strongroom.scan.rules.images;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.List;

/**
 * SR-IMG-003: image from a registry outside the allow-list. Only active when the config file (or
 * {@code --allowed-registry}) gives one.
 */
public final class RegistryAllowListRule implements Rule {
    static final RuleInfo INFO = rule("SR-IMG-003", "Images")
            .title("Image registry not in the allow-list (option allowedRegistries)")
            .severity(Severity.HIGH)
            .refs("NSA-CISA Kubernetes Hardening Guide: use trusted repositories",
                  "CIS Kubernetes Benchmark v1.8 5.5.1 (configure image provenance using ImagePolicyWebhook admission controller)")
            .why("""
                 Images from registries you do not control skip your scanning, signing and retention
                 policies; a typo-squatted Docker Hub name runs someone else's code with your Secrets.""")
            .fix("""
                 # strongroom-scan.yaml
                 options:
                   allowedRegistries: ["registry.example.com", "ghcr.io/example-org"]
                 # and pull from there:
                 containers:
                   - name: app
                     image: registry.example.com/team/app:1.4.2""");

    private final List<String> allowed;

    public RegistryAllowListRule(ScanOptions options) {
        this.allowed = options.allowedRegistries();
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        if (allowed.isEmpty()) return;
        ImageRules.forEachImage(inventory, (c, ref) -> {
            String location = ref.location();
            boolean ok = allowed.stream().anyMatch(a -> location.equals(a) || location.startsWith(a.endsWith("/") ? a : a + "/"));
            if (!ok) {
                findings.add(INFO, c.pod().owner(), c.pointer() + "/image", c.label() + " pulls from " + ref.registry()
                        + " (" + location + "), which is not in allowedRegistries " + allowed);
            }
        });
    }
}
