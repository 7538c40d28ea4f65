package dev.strongroom.scan.engine;

import dev.strongroom.scan.input.ParseProblem;
import dev.strongroom.scan.input.SourceMap;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.InputRule;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleCatalog;
import dev.strongroom.scan.rules.Severity;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs the configured rules over loaded objects and applies severities and suppressions. */
public final class Scanner {
    private final ScanConfig config;
    private final List<Rule> rules;

    public Scanner(ScanConfig config) {
        this.config = config;
        this.rules = RuleCatalog.rules(config.profile(), config.options()).stream()
                .filter(r -> config.enabledOnly().isEmpty() || config.enabledOnly().contains(r.info().id()))
                .filter(r -> !config.disabled().contains(r.info().id()))
                .toList();
    }

    public ScanResult scan(LoadedInputs inputs) {
        Inventory inventory = new Inventory(inputs.objects());
        Findings findings = new Findings();
        boolean inputRule = rules.stream().anyMatch(r -> r instanceof InputRule);
        if (inputRule) {
            for (ParseProblem p : inputs.problems()) findings.add(InputRule.INFO, fileObject(p), "", p.message());
        }
        // Rules only read the inventory, so they run in parallel; each writes its own Findings and
        // the results are joined in catalogue order, so the report does not depend on scheduling.
        List<Findings> perRule = rules.parallelStream().map(rule -> {
            Findings own = new Findings();
            rule.check(inventory, own);
            return own;
        }).toList();
        for (Findings f : perRule) findings.addAll(f);
        List<Finding> out = new ArrayList<>(findings.list().size());
        for (Finding f : findings.list()) {
            Severity override = config.severityOverrides().get(f.rule().id());
            out.add(Suppressions.apply(override == null ? f : f.withSeverity(override)));
        }
        out.sort(Comparator.comparing((Finding f) -> f.object().origin())
                .thenComparingInt(f -> f.position().line())
                .thenComparingInt(f -> f.position().column())
                .thenComparing(f -> f.rule().id()));
        return new ScanResult(rules, List.copyOf(out), inputs.sources(), inputs.objects(), inputs.skippedDocuments(),
                inputs.warnings());
    }

    /** A stand-in object for a file that failed to parse, so the finding has a location. */
    private static KubeObject fileObject(ParseProblem p) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("apiVersion", "scan.strongroom.dev/v1").put("kind", "File").putObject("metadata").put("name", p.origin());
        return new KubeObject(p.origin(), body, SourceMap.single(p.position()), "", false);
    }
}
