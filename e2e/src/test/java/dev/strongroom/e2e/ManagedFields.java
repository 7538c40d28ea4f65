package dev.strongroom.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * managedFields, compared apart from the rest of an object so that their state shows on its own.
 *
 * <p>The entries must be the reference's (manager, operation, apiVersion, fieldsType, fieldsV1; times are the run's
 * wall clock) and in upstream's order: sorted by operation, then time (seconds), then manager, then apiVersion
 * (apimachinery {@code managedfields/internal} sortEncodedManagedFields). The order cannot be compared with the
 * reference's directly because it depends on which commands fell into the same second.
 */
final class ManagedFields {
    private ManagedFields() {}

    static final Comparator<JsonNode> UPSTREAM_ORDER = Comparator
            .comparing((JsonNode e) -> e.path("operation").asText())
            .thenComparing(e -> e.path("time").asText())
            .thenComparing(e -> e.path("manager").asText())
            .thenComparing(e -> e.path("apiVersion").asText());

    /** The managedFields array at {@code pointer} of a JSON document (empty when absent). */
    static List<JsonNode> of(String json, String pointer) {
        try {
            List<JsonNode> entries = new ArrayList<>();
            ServerAccess.JSON.readTree(json).at(pointer).forEach(entries::add);
            return entries;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static void assertSameEntries(List<JsonNode> actual, List<JsonNode> expected, String context) {
        for (JsonNode e : actual) {
            assertThat(e.path("time").asText()).as("%s: managedFields time format", context).matches(Normalize.TIME.pattern());
        }
        assertThat(actual).as("%s: managedFields in upstream order (operation, time, manager, apiVersion)", context)
                .isSortedAccordingTo(UPSTREAM_ORDER);
        Comparator<JsonNode> byManager = Comparator.comparing((JsonNode e) -> e.path("manager").asText())
                .thenComparing(e -> e.path("operation").asText());
        assertThat(withoutTimes(actual).stream().sorted(byManager).toList())
                .as("%s: managedFields entries (times removed)", context)
                .isEqualTo(withoutTimes(expected).stream().sorted(byManager).toList());
    }

    private static List<JsonNode> withoutTimes(List<JsonNode> entries) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : entries) {
            ObjectNode c = e.deepCopy();
            c.remove("time");
            out.add(c);
        }
        return out;
    }

    /**
     * Removes every {@code "managedFields": […]} member (with its separating comma and the white space around it)
     * from JSON text, compact or indented, leaving the rest byte for byte as the server wrote it.
     */
    static String remove(String json) {
        String key = "\"managedFields\"";
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int at = indexOutsideStrings(json, key, i);
            if (at < 0) {
                out.append(json, i, json.length());
                return out.toString();
            }
            int colon = skipSpace(json, at + key.length());
            if (colon >= json.length() || json.charAt(colon) != ':') throw new IllegalArgumentException("not a member name at " + at);
            int end = endOfValue(json, skipSpace(json, colon + 1));
            int start = at;
            int before = start;
            while (before > 0 && Character.isWhitespace(json.charAt(before - 1))) before--;
            if (before > 0 && json.charAt(before - 1) == ',') {
                start = before - 1; // "…, "managedFields": […]" -> "…"
            } else {
                int after = skipSpace(json, end);
                if (after < json.length() && json.charAt(after) == ',') end = skipSpace(json, after + 1); // first member
            }
            out.append(json, i, start);
            i = end;
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static int indexOutsideStrings(String s, String key, int from) {
        boolean inString = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (s.startsWith(key, i)) {
                return i;
            } else if (c == '"') {
                inString = true;
            }
        }
        return -1;
    }

    /** The index just after the JSON value starting at {@code i} (an array or object here). */
    private static int endOfValue(String s, int i) {
        int depth = 0;
        boolean inString = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (--depth == 0) return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated value in " + s);
    }
}
