package dev.strongroom.server.registry.selection;

import dev.strongroom.api.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed {@code labelSelector} query parameter: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)},
 * {@code k notin (a,b)}, {@code k}, {@code !k}, comma-separated and ANDed, as apimachinery's {@code labels.Parse}.
 */
public final class LabelSelector {
    private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
            };
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) { this.requirements = requirements; }

    public static LabelSelector everything() { return EVERYTHING; }

    public boolean isEmpty() { return requirements.isEmpty(); }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) if (!r.matches(labels)) return false;
        return true;
    }

    public static LabelSelector parse(String s) {
        if (s == null || s.isBlank()) return EVERYTHING;
        List<Requirement> out = new ArrayList<>();
        for (String term : splitTopLevel(s)) {
            String t = term.trim();
            if (t.isEmpty()) throw bad(s, "empty requirement");
            out.add(parseTerm(s, t));
        }
        return new LabelSelector(out);
    }

    private static Requirement parseTerm(String whole, String t) {
        if (t.startsWith("!")) return new Requirement(checkKey(whole, t.substring(1).trim()), Op.NOT_EXISTS, Set.of());
        int notin = indexOfWord(t, " notin ");
        if (notin > 0) return new Requirement(checkKey(whole, t.substring(0, notin).trim()), Op.NOT_IN, set(whole, t.substring(notin + 7)));
        int in = indexOfWord(t, " in ");
        if (in > 0) return new Requirement(checkKey(whole, t.substring(0, in).trim()), Op.IN, set(whole, t.substring(in + 4)));
        int ne = t.indexOf("!=");
        if (ne > 0) return new Requirement(checkKey(whole, t.substring(0, ne).trim()), Op.NOT_EQUALS, Set.of(t.substring(ne + 2).trim()));
        int eq2 = t.indexOf("==");
        if (eq2 > 0) return new Requirement(checkKey(whole, t.substring(0, eq2).trim()), Op.EQUALS, Set.of(t.substring(eq2 + 2).trim()));
        int eq = t.indexOf('=');
        if (eq > 0) return new Requirement(checkKey(whole, t.substring(0, eq).trim()), Op.EQUALS, Set.of(t.substring(eq + 1).trim()));
        return new Requirement(checkKey(whole, t), Op.EXISTS, Set.of());
    }

    private static int indexOfWord(String t, String w) { return t.indexOf(w); }

    private static Set<String> set(String whole, String list) {
        String l = list.trim();
        if (!l.startsWith("(") || !l.endsWith(")")) throw bad(whole, "expected a parenthesised value list");
        Set<String> out = new TreeSet<>();
        for (String v : l.substring(1, l.length() - 1).split(",")) out.add(v.trim());
        return out;
    }

    private static String checkKey(String whole, String key) {
        if (key.isEmpty() || key.contains(" ") || key.contains("(") || key.contains(")")) throw bad(whole, "invalid label key " + key);
        return key;
    }

    /** Splits on commas that are not inside a value list's parentheses. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) { parts.add(s.substring(start, i)); start = i + 1; }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static ApiException bad(String selector, String why) {
        return ApiException.badRequest("unable to parse requirement: " + why + " in label selector \"" + selector + "\"");
    }
}
