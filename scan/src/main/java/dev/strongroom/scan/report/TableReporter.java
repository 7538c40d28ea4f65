package dev.strongroom.scan.report;

import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Severity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The human-readable report: findings grouped by object, each with severity, rule ID, file:line:col,
 * message, why it matters and how to fix it; then a one-line summary.
 */
final class TableReporter implements Reporter {
    private static final String RESET = "\u001b[0m";

    @Override
    public void write(ScanResult result, ReportOptions options, PrintWriter out) {
        Map<KubeObject, List<Finding>> byObject = new LinkedHashMap<>();
        Set<String> explained = new HashSet<>(); // why/fix once per rule, not per finding
        for (Finding f : result.findings()) byObject.computeIfAbsent(f.object(), k -> new ArrayList<>()).add(f);
        for (Map.Entry<KubeObject, List<Finding>> e : byObject.entrySet()) {
            KubeObject o = e.getKey();
            out.println(style(options, "1", o.kind().equals("File") ? o.origin() : o.displayName() + "  (" + o.origin() + ")"));
            for (Finding f : e.getValue()) {
                String sev = String.format(Locale.ROOT, "%-8s", f.severity().name());
                out.println("  " + style(options, color(f.severity()), sev) + " " + String.format(Locale.ROOT, "%-26s", f.rule().id())
                        + " " + o.origin() + ":" + f.position() + (f.suppressed() ? "  [suppressed]" : ""));
                out.println("           " + f.message());
                if (f.suppressed()) out.println("           suppressed: " + f.suppression());
                if (!options.brief() && !f.suppressed()) {
                    if (explained.add(f.rule().id())) {
                        out.println(style(options, "2", wrap("why: " + f.rule().why().replace('\n', ' '), "           ", 100)));
                        out.println(style(options, "2", "           fix:"));
                        out.println(style(options, "2", indent(f.rule().fix(), "             ")));
                    } else {
                        out.println(style(options, "2", "           why/fix: as for " + f.rule().id() + " above"));
                    }
                }
            }
            out.println();
        }
        out.println(summary(result, options));
        for (String w : result.warnings()) out.println("warning: " + w);
        out.flush();
    }

    static String summary(ScanResult result, ReportOptions options) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : result.findings()) if (!f.suppressed()) counts.merge(f.severity(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
            if (counts.containsKey(s)) parts.add(counts.get(s) + " " + s.label());
        }
        long active = result.findings().size() - result.suppressedCount();
        StringBuilder sb = new StringBuilder();
        sb.append(active == 0 ? "No findings" : active + (active == 1 ? " finding" : " findings") + " (" + String.join(", ", parts) + ")");
        sb.append(" in ").append(result.objects().size()).append(result.objects().size() == 1 ? " object" : " objects")
          .append(" from ").append(result.sources()).append(result.sources() == 1 ? " source" : " sources");
        if (result.suppressedCount() > 0) sb.append("; ").append(result.suppressedCount()).append(" suppressed");
        if (result.skippedDocuments() > 0) sb.append("; ").append(result.skippedDocuments()).append(" non-Kubernetes documents skipped");
        if (options.failOn() != null) {
            long failing = result.active(options.failOn());
            sb.append(failing > 0 ? "; failing: " + failing + " at or above " + options.failOn().label()
                                  : "; nothing at or above " + options.failOn().label());
        }
        return sb.toString();
    }

    private static String color(Severity s) {
        return switch (s) {
            case CRITICAL -> "1;31";
            case HIGH -> "31";
            case MEDIUM -> "33";
            case LOW -> "36";
            case INFO -> "2";
        };
    }

    private static String style(ReportOptions options, String code, String text) {
        return options.color() ? "\u001b[" + code + "m" + text + RESET : text;
    }

    private static String indent(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(prefix).append(line);
        }
        return sb.toString();
    }

    /** Word-wraps a paragraph to {@code width} columns, every line starting with {@code prefix}. */
    private static String wrap(String text, String prefix, int width) {
        StringBuilder sb = new StringBuilder(prefix);
        int col = prefix.length();
        for (String word : text.split(" +")) {
            if (col > prefix.length() && col + 1 + word.length() > width) {
                sb.append('\n').append(prefix);
                col = prefix.length();
            } else if (col > prefix.length()) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
