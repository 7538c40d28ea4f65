package dev.strongroom.scan.rules;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;

/**
 * SR-INPUT-001: a document that could not be parsed. It is a rule (not only an error message) so
 * that it appears with its line and column in every output format and counts toward
 * {@code --fail-on}: an unparsed manifest is an unscanned one. The scanner adds these findings
 * itself; {@link #check} has nothing to look at.
 */
public final class InputRule implements Rule {
    public static final RuleInfo INFO = rule("SR-INPUT-001", "Input")
            .title("Document could not be parsed (and was not scanned)")
            .severity(Severity.HIGH)
            .refs("YAML 1.2 specification", "Kubernetes docs: Managing Kubernetes objects using configuration files")
            .why("""
                 A malformed document is skipped, so none of its settings were checked; kubectl would reject
                 it too. Unrendered Helm or Go templates are the usual cause: scan `helm template` output.""")
            .fix("""
                 # Check the document at the reported line, e.g. with:
                 #   kubectl apply --dry-run=client -f <file>
                 # For a chart, scan what it renders:
                 #   helm template ./chart | strongroom scan -""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        // Parse problems are turned into findings by the scanner, before any rule runs.
    }
}
