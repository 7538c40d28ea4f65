package dev.strongroom.scan.engine;

import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.Severity;
import java.util.List;

/**
 * What a scan found. {@code rules} are the rules that ran (for SARIF's rule descriptors and JUnit
 * test cases); {@code findings} are sorted by source, line and column.
 */
public record ScanResult(List<Rule> rules, List<Finding> findings, int sources, List<KubeObject> objects, int skippedDocuments,
                         List<String> warnings) {

    public long active(Severity atLeast) {
        return findings.stream().filter(f -> !f.suppressed() && f.severity().atLeast(atLeast)).count();
    }

    public long suppressedCount() {
        return findings.stream().filter(Finding::suppressed).count();
    }
}
