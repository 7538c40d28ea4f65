package dev.strongroom.scan.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** Kubernetes label-selector semantics ({@code matchLabels} AND {@code matchExpressions}). */
public final class LabelSelectors {
    private LabelSelectors() {}

    /** True if the selector has no requirement at all: it selects everything. */
    public static boolean isEmpty(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) return true;
        return selector.path("matchLabels").size() == 0 && selector.path("matchExpressions").size() == 0;
    }

    public static boolean matches(JsonNode selector, JsonNode labels) {
        if (isEmpty(selector)) return true;
        var fields = selector.path("matchLabels").properties();
        for (var e : fields) {
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) return false;
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            boolean has = labels.has(key);
            String value = labels.path(key).asText();
            Set<String> values = new HashSet<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> has && values.contains(value);
                case "NotIn" -> !has || !values.contains(value);
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false; // an invalid operator selects nothing (the API server rejects it)
            };
            if (!ok) return false;
        }
        return true;
    }
}
