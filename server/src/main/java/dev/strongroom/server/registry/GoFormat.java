package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.errors.GoQuote;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code %#v} for the few non-string bad values upstream validation prints ({@code []string{"a", "b"}}, structs):
 * field.Error falls back to it, and users compare those messages.
 */
public final class GoFormat {
    private GoFormat() {}

    /** A value printed raw (not quoted) in a FieldError. */
    public record Raw(String text) {
        @Override public String toString() { return text; }
    }

    public static Raw stringSlice(JsonNode arr) {
        List<String> items = new ArrayList<>();
        if (arr != null && arr.isArray()) for (JsonNode n : arr) items.add(GoQuote.quote(n.asText()));
        return new Raw("[]string{" + String.join(", ", items) + "}");
    }
}
