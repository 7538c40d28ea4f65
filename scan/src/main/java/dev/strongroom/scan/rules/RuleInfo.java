package dev.strongroom.scan.rules;

import java.util.List;

/**
 * What the catalogue says about a rule: {@code strongroom scan --list-rules}, the SARIF rule
 * descriptors and docs/scanner.md are all printed from these.
 *
 * @param id         stable identifier used in suppressions and config ({@code SR-POD-003})
 * @param family     the group it belongs to ("Pods", "RBAC"...)
 * @param title      one line: what is wrong
 * @param severity   default severity (the config file can override it)
 * @param references CIS Kubernetes Benchmark / NSA-CISA hardening guide / Pod Security Standards
 * @param why        why it matters, for the person reading the finding
 * @param fix        how to fix it, as YAML where possible
 */
public record RuleInfo(String id, String family, String title, Severity severity, List<String> references,
                       String why, String fix) {

    public static Builder rule(String id, String family) {
        return new Builder(id, family);
    }

    /** Fluent construction keeps the many rule definitions readable. */
    public static final class Builder {
        private final String id;
        private final String family;
        private String title = "";
        private Severity severity = Severity.MEDIUM;
        private List<String> references = List.of();
        private String why = "";

        private Builder(String id, String family) {
            this.id = id;
            this.family = family;
        }

        public Builder title(String t) { this.title = t; return this; }
        public Builder severity(Severity s) { this.severity = s; return this; }
        public Builder refs(String... r) { this.references = List.of(r); return this; }
        public Builder why(String w) { this.why = w.strip(); return this; }

        public RuleInfo fix(String fix) {
            return new RuleInfo(id, family, title, severity, references, why, fix.stripTrailing());
        }
    }
}
