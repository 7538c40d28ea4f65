package dev.strongroom.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what legitimately differs between the reference run and ours into placeholders, and nothing else.
 *
 * <p>Each rule says why the value may differ. Every rule matches only a value of the exact expected shape (an RFC 3339
 * second-precision UTC time, a lowercase UUID, a decimal resourceVersion, a kubectl age), so a malformed value is left
 * alone and still fails the comparison.
 */
final class Normalize {
    private Normalize() {}

    /** RFC 3339 UTC at second precision, the only format upstream uses for metadata times and managedFields times. */
    static final Pattern TIME = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    static final Pattern UID = Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
    /** resourceVersion in YAML ({@code resourceVersion: "5"}), JSON ({@code "resourceVersion": "5"}), compact JSON and JSON escaped inside a string. */
    static final Pattern RESOURCE_VERSION = Pattern.compile("(resourceVersion\\\\?\"?:\\s?\\\\?\")\\d+(?=\\\\?\")");
    static final Pattern CONTINUE = Pattern.compile("(\"continue\":\\s?\")[A-Za-z0-9_-]+(\")");
    /** kubectl's HumanDuration: 0s, 59s, 2m3s, 10m, 5h, 3d4h, 2y… */
    static final Pattern AGE = Pattern.compile("\\d+[smhdy](\\d+[smh])?");

    /**
     * For objects printed as YAML or JSON:
     * <ul>
     *   <li>times ({@code creationTimestamp}, managedFields {@code time}) are the wall clock of the run;</li>
     *   <li>UIDs are random per object; they are numbered in order of appearance so that "the same UID twice" is
     *       still checked;</li>
     *   <li>resourceVersions count every write the store saw; the reference cluster had ~200 writes from its own
     *       components before the first command;</li>
     *   <li>a list's {@code continue} token is opaque to clients and encodes the revision (tests follow it
     *       instead of comparing it).</li>
     * </ul>
     */
    static String object(String s) {
        s = TIME.matcher(s).replaceAll("<time>");
        s = numberUids(s);
        s = RESOURCE_VERSION.matcher(s).replaceAll("$1<rv>");
        s = CONTINUE.matcher(s).replaceAll("$1<continue>$2");
        return s;
    }

    static String numberUids(String s) {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = UID.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = names.computeIfAbsent(m.group(), k -> "<uid-" + (names.size() + 1) + ">");
            m.appendReplacement(out, Matcher.quoteReplacement(name));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * For kubectl's tables (get, get -w): the AGE column is elapsed time, and the tabwriter pads every column to its
     * widest cell, so an age of "1s" against "35s" shifts the columns after it. Rows are compared cell by cell
     * (cells are separated by the padding, at least two spaces; no cell here contains two spaces) with the AGE cell
     * replaced when, and only when, it has the shape of an age.
     */
    static String table(String s) {
        List<String> out = new ArrayList<>();
        int ageColumn = -1;
        for (String line : s.split("\n", -1)) {
            if (line.isEmpty()) {
                out.add(line);
                continue;
            }
            List<String> cells = new ArrayList<>(Arrays.asList(line.strip().split(" {2,}")));
            if (ageColumn < 0 && cells.contains("AGE") && cells.getFirst().matches("NAME|NAMESPACE|EVENT")) {
                ageColumn = cells.indexOf("AGE");
            } else if (ageColumn >= 0 && ageColumn < cells.size() && AGE.matcher(cells.get(ageColumn)).matches()) {
                cells.set(ageColumn, "<age>");
            }
            out.add(String.join(" | ", cells));
        }
        return String.join("\n", out);
    }

    /**
     * For {@code kubectl describe secret}: the lines under {@code Data / ====} list the keys in Go map order, which
     * is random (the reference itself prints tls-secret's keys as tls.key, tls.crt) — they are sorted. Everything
     * else stays as it is.
     */
    static String describe(String s) {
        String[] lines = s.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            out.add(lines[i]);
            if (lines[i].equals("====") && i > 0 && lines[i - 1].equals("Data")) {
                List<String> block = new ArrayList<>();
                int j = i + 1;
                while (j < lines.length && !lines[j].isEmpty()) block.add(lines[j++]);
                block.sort(null);
                out.addAll(block);
                i = j - 1;
            }
        }
        return String.join("\n", out);
    }

    /** The Verbs cell that ends a row of {@code kubectl auth can-i --list}, when it holds more than one verb. */
    static final Pattern RULE_VERBS = Pattern.compile("\\[([a-z*]+(?: [a-z*]+)+)]$");

    /**
     * For {@code kubectl auth can-i --list}: when several bindings grant the same resource, kubectl merges their rules
     * into one row, with the verbs in the order in which the server listed the rules. kube-apiserver lists the
     * RoleBindings of a namespace in its informer's Go-map order, i.e. at random: for alice, bound by read-secrets
     * ({@code get watch list}) and alice-reader-imperative ({@code get list watch}), the reference's
     * {@code [get watch list]} is one of the two rows upstream prints. The verbs of such a cell are sorted; which
     * verbs there are, and every other cell, stay as printed.
     */
    static String ruleVerbs(String s) {
        List<String> out = new ArrayList<>();
        for (String line : s.split("\n", -1)) {
            Matcher m = RULE_VERBS.matcher(line);
            if (m.find()) {
                List<String> verbs = new ArrayList<>(Arrays.asList(m.group(1).split(" ")));
                verbs.sort(null);
                line = line.substring(0, m.start()) + "[" + String.join(" ", verbs) + "]";
            }
            out.add(line);
        }
        return String.join("\n", out);
    }

    /**
     * The transcripts were recorded with {@code [exit N]} on a line of its own whether or not the output ended with
     * a line break (e.g. {@code get --raw}), so trailing line breaks carry no information.
     */
    static String trailing(String s) {
        return s.replaceAll("\n+$", "");
    }
}
