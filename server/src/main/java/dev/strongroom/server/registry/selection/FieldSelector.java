package dev.strongroom.server.registry.selection;

import dev.strongroom.api.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code fieldSelector}: {@code field=value}, {@code field==value}, {@code field!=value}, comma = AND.
 * Only the fields a resource declares selectable are accepted, as upstream.
 */
public final class FieldSelector {
    private record Term(String field, String value, boolean negate) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private final List<Term> terms;

    private FieldSelector(List<Term> terms) { this.terms = terms; }

    public static FieldSelector everything() { return EVERYTHING; }

    public boolean isEmpty() { return terms.isEmpty(); }

    /** The value required for {@code field} by an equality term, or null (used to narrow a range to one name). */
    public String requiredValue(String field) {
        for (Term t : terms) if (!t.negate && t.field.equals(field)) return t.value;
        return null;
    }

    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            boolean eq = t.value.equals(fields.getOrDefault(t.field, ""));
            if (eq == t.negate) return false;
        }
        return true;
    }

    public static FieldSelector parse(String s, Set<String> supported, String resource) {
        if (s == null || s.isBlank()) return EVERYTHING;
        List<Term> out = new ArrayList<>();
        for (String raw : s.split(",")) {
            String t = raw.trim();
            if (t.isEmpty()) continue;
            Term term;
            int ne = t.indexOf("!=");
            int eq2 = t.indexOf("==");
            int eq = t.indexOf('=');
            if (ne > 0) term = new Term(t.substring(0, ne), t.substring(ne + 2), true);
            else if (eq2 > 0) term = new Term(t.substring(0, eq2), t.substring(eq2 + 2), false);
            else if (eq > 0) term = new Term(t.substring(0, eq), t.substring(eq + 1), false);
            else throw ApiException.badRequest("invalid selector: '" + s + "'; can't understand '" + t + "'");
            if (!supported.contains(term.field)) {
                throw ApiException.badRequest("field label not supported: " + term.field);
            }
            out.add(term);
        }
        return new FieldSelector(out);
    }
}
