package dev.strongroom.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Profile;
import dev.strongroom.scan.rules.RuleCatalog;
import dev.strongroom.scan.rules.ScanOptions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule in the catalogue has a failing and a fixed example under
 * {@code src/test/resources/rules/<ID>/}; the same files are printed in docs/scanner.md. In a
 * failing example each line the rule must report ends with {@code # expect}: the test checks the
 * exact lines, so positions in SARIF are proven for every rule, not just some.
 */
class RuleExamplesTest {

    private static final ScanOptions OPTIONS = new ScanOptions(List.of("registry.example.com"),
            ScanOptions.DEFAULT_EXCLUDED_NAMESPACES, ScanOptions.DEFAULT_DANGEROUS_CAPABILITIES, 3.5);

    static ScanResult scanExample(String id, String which) {
        Profile profile = id.startsWith("PSS-") ? Profile.RESTRICTED : Profile.DEFAULT;
        return TestScans.scan(TestScans.resource("rules/" + id + "/" + which + ".yaml"), TestScans.withOptions(OPTIONS, profile));
    }

    @TestFactory
    Stream<DynamicTest> failingExampleIsReportedOnTheMarkedLines() {
        return RuleCatalog.all().keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            String yaml = TestScans.resource("rules/" + id + "/failing.yaml");
            Set<Integer> expected = new TreeSet<>();
            String[] lines = yaml.split("\n", -1);
            for (int i = 0; i < lines.length; i++) if (lines[i].contains("# expect")) expected.add(i + 1);
            assertThat(expected).as("failing example of %s marks at least one line", id).isNotEmpty();

            List<Finding> findings = TestScans.of(scanExample(id, "failing"), id);
            Set<Integer> actual = new TreeSet<>();
            for (Finding f : findings) actual.add(f.position().line());
            assertThat(actual).as("lines %s reports in its failing example: %s", id, findings).isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> fixedExampleIsClean() {
        return RuleCatalog.all().keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            assertThat(TestScans.of(scanExample(id, "fixed"), id)).as("%s in its fixed example", id).isEmpty();
        }));
    }
}
