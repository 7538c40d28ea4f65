package dev.strongroom.scan.rules.secrets;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-SEC-002: a token, key or password of a well-known format in plain text. */
public final class KnownCredentialRule implements Rule {
    static final RuleInfo INFO = rule("SR-SEC-002", "Secrets")
            .title("Credential of a known format in plain text (env, args, ConfigMap, annotation)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 5.4.1 (prefer using Secrets as files over Secrets as environment variables)",
                  "NSA-CISA Kubernetes Hardening Guide: Secrets", "gitleaks default rules")
            .why("""
                 An AWS key, GitHub/GitLab/Slack token, private key, JWT or connection-string password
                 written into a manifest is readable by everyone with access to the repository, its
                 history and its forks, and by anyone who can `get` the object in the cluster. Rotate it:
                 it has been disclosed.""")
            .fix("""
                 # Move the value into a Secret created outside the repository
                 # (strongroom create secret generic app-creds --from-literal=token=...),
                 # then reference it:
                 env:
                   - name: API_TOKEN
                     valueFrom:
                       secretKeyRef:
                         name: app-creds
                         key: token""");

    private final CredentialDetector detector;

    public KnownCredentialRule(CredentialDetector detector) {
        this.detector = detector;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (TextSites.Site site : TextSites.all(inventory)) {
            for (CredentialDetector.Match m : detector.known(site.value())) {
                findings.add(INFO, site.object(), site.pointer(),
                        m.detector() + " in " + site.where() + ": " + Redaction.redact(m.value()));
            }
        }
    }
}
