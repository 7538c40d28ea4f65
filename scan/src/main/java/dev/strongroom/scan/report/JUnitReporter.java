package dev.strongroom.scan.report;

import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML for CI dashboards: one testsuite per source file, one testcase per object. A testcase
 * fails when the object has an active finding at or above {@code --fail-on}; findings below it are
 * listed in {@code system-out}; a file that could not be parsed is an {@code error}.
 */
final class JUnitReporter implements Reporter {

    @Override
    public void write(ScanResult result, ReportOptions options, PrintWriter out) {
        Map<KubeObject, List<Finding>> byObject = new IdentityHashMap<>();
        for (Finding f : result.findings()) byObject.computeIfAbsent(f.object(), k -> new ArrayList<>()).add(f);
        Map<String, List<KubeObject>> byFile = new LinkedHashMap<>();
        for (KubeObject o : result.objects()) byFile.computeIfAbsent(o.origin(), k -> new ArrayList<>()).add(o);
        for (KubeObject o : byObject.keySet()) {
            if (o.kind().equals("File")) byFile.computeIfAbsent(o.origin(), k -> new ArrayList<>()).add(o);
        }
        int tests = 0, failures = 0, errors = 0;
        StringBuilder suites = new StringBuilder();
        for (Map.Entry<String, List<KubeObject>> file : byFile.entrySet()) {
            StringBuilder cases = new StringBuilder();
            int t = 0, fl = 0, er = 0;
            for (KubeObject o : file.getValue()) {
                t++;
                List<Finding> fs = byObject.getOrDefault(o, List.of());
                String name = o.kind().equals("File") ? "parse " + o.origin() : o.displayName();
                cases.append("    <testcase classname=\"").append(xml(file.getKey())).append("\" name=\"").append(xml(name)).append("\">\n");
                List<Finding> failing = new ArrayList<>();
                List<Finding> other = new ArrayList<>();
                for (Finding f : fs) {
                    if (!f.suppressed() && options.failOn() != null && f.severity().atLeast(options.failOn())) failing.add(f);
                    else other.add(f);
                }
                if (o.kind().equals("File")) {
                    er++;
                    cases.append("      <error type=\"SR-INPUT-001\" message=\"").append(xml(fs.get(0).message())).append("\">")
                         .append(xml(lines(fs))).append("</error>\n");
                } else if (!failing.isEmpty()) {
                    fl++;
                    cases.append("      <failure type=\"").append(failing.get(0).severity().label()).append("\" message=\"")
                         .append(failing.size()).append(failing.size() == 1 ? " finding" : " findings").append(" at or above ")
                         .append(options.failOn().label()).append("\">").append(xml(lines(failing))).append("</failure>\n");
                }
                if (!other.isEmpty()) cases.append("      <system-out>").append(xml(lines(other))).append("</system-out>\n");
                cases.append("    </testcase>\n");
            }
            tests += t;
            failures += fl;
            errors += er;
            suites.append("  <testsuite name=\"").append(xml(file.getKey())).append("\" tests=\"").append(t).append("\" failures=\"")
                  .append(fl).append("\" errors=\"").append(er).append("\" skipped=\"0\">\n").append(cases).append("  </testsuite>\n");
        }
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites name=\"strongroom scan\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\">");
        out.print(suites);
        out.println("</testsuites>");
        out.flush();
    }

    private static String lines(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(f.severity().label().toUpperCase(Locale.ROOT)).append(' ').append(f.rule().id()).append(' ')
              .append(f.object().origin()).append(':').append(f.position()).append(' ').append(f.message());
            if (f.suppressed()) sb.append(" [suppressed: ").append(f.suppression()).append(']');
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot carry. */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
