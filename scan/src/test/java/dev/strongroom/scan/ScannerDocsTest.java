package dev.strongroom.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.rules.RuleCatalog;
import dev.strongroom.scan.rules.RuleInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/scanner.md's rule reference is generated from the catalogue and the example files that
 * RuleExamplesTest runs, so the documented failing/fixed manifests are proven to fail and pass.
 * After changing a rule: {@code mvn -pl scan test -Dtest=ScannerDocsTest -DupdateDocs=true}.
 */
class ScannerDocsTest {
    private static final Path DOCS = Path.of("../docs/scanner.md");
    private static final String BEGIN = "<!-- BEGIN GENERATED RULES: edit the rules and examples, then regenerate (see ScannerDocsTest) -->";
    private static final String END = "<!-- END GENERATED RULES -->";

    @Test
    void ruleReferenceInDocsMatchesTheCatalogueAndExamples() throws IOException {
        String docs = Files.readString(DOCS);
        int from = docs.indexOf(BEGIN);
        int to = docs.indexOf(END);
        assertThat(from).as("docs/scanner.md has the generated-section markers").isGreaterThanOrEqualTo(0);
        assertThat(to).isGreaterThan(from);
        String generated = render();
        String current = docs.substring(from + BEGIN.length(), to);
        if (Boolean.getBoolean("updateDocs")) {
            Files.writeString(DOCS, docs.substring(0, from + BEGIN.length()) + generated + docs.substring(to));
            return;
        }
        assertThat(current).as("docs/scanner.md is out of date: run with -DupdateDocs=true").isEqualTo(generated);
    }

    static String render() {
        Map<String, List<RuleInfo>> byFamily = new LinkedHashMap<>();
        for (RuleInfo r : RuleCatalog.all().values()) byFamily.computeIfAbsent(r.family(), k -> new java.util.ArrayList<>()).add(r);
        StringBuilder sb = new StringBuilder("\n\n");
        sb.append("| ID | Severity | Rule |\n|---|---|---|\n");
        for (RuleInfo r : RuleCatalog.all().values()) {
            sb.append("| [").append(r.id()).append("](#").append(r.id().toLowerCase(java.util.Locale.ROOT)).append(") | ")
              .append(r.severity().label()).append(" | ").append(r.title().replace("|", "\\|")).append(" |\n");
        }
        for (Map.Entry<String, List<RuleInfo>> family : byFamily.entrySet()) {
            sb.append("\n## ").append(family.getKey()).append("\n");
            for (RuleInfo r : family.getValue()) {
                sb.append("\n### ").append(r.id()).append("\n\n");
                sb.append("**").append(r.title()).append("** — severity **").append(r.severity().label()).append("**\n\n");
                sb.append(r.why().replace('\n', ' ')).append("\n\n");
                sb.append("References: ").append(String.join("; ", r.references())).append("\n\n");
                sb.append("Fails:\n\n```yaml\n").append(example(r.id(), "failing")).append("```\n\n");
                sb.append("Fixed:\n\n```yaml\n").append(example(r.id(), "fixed")).append("```\n\n");
                sb.append("How to fix:\n\n```yaml\n").append(r.fix()).append("\n```\n");
            }
        }
        return sb.append("\n").toString();
    }

    private static String example(String id, String which) {
        return TestScans.resource("rules/" + id + "/" + which + ".yaml").replaceAll(" +# expect\\n", "   # <- reported here\n");
    }
}
