package dev.strongroom.scan.rules.secrets;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-SEC-003: a value stored under a secret-sounding name that looks random enough to be real. */
public final class GenericSecretRule implements Rule {
    static final RuleInfo INFO = rule("SR-SEC-003", "Secrets")
            .title("Generic secret assignment (password/token/key name with a high-entropy value)")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 5.4.1 (prefer using Secrets as files over Secrets as environment variables)", "NSA-CISA Kubernetes Hardening Guide: Secrets",
                  "gitleaks generic-api-key rule")
            .why("""
                 A value under a name like DB_PASSWORD or api_key whose characters are as random as a
                 generated credential is almost certainly one. Template placeholders (${VAR}, $(VAR),
                 {{ .Values.x }}, <...>) and stopwords (example, changeme, ...) are not reported.""")
            .fix("""
                 env:
                   - name: DB_PASSWORD
                     valueFrom:
                       secretKeyRef:
                         name: db-credentials
                         key: password""");

    private final CredentialDetector detector;

    public GenericSecretRule(CredentialDetector detector) {
        this.detector = detector;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (TextSites.Site site : TextSites.all(inventory)) {
            if (!detector.known(site.value()).isEmpty()) continue; // SR-SEC-002 already reports it
            detector.generic(site.key(), site.value()).ifPresent(m -> findings.add(INFO, site.object(), site.pointer(),
                    "possible secret (" + m.detector() + ") in " + site.where() + ": " + Redaction.redact(m.value())));
        }
    }
}
