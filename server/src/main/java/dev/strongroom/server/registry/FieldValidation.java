package dev.strongroom.server.registry;

import dev.strongroom.api.codec.StrictDecoding;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code fieldValidation=Strict|Warn|Ignore} for create and update bodies: Strict refuses unknown or duplicate
 * fields with upstream's 400, Warn answers with {@code Warning} headers, Ignore drops them silently.
 */
final class FieldValidation {
    private FieldValidation() {}

    /** @return the warnings to send (Warn mode) */
    static List<String> check(ResourceDef def, List<String> strictErrors, String mode) {
        if (strictErrors.isEmpty() || mode.equals("Ignore")) return List.of();
        if (mode.equals("Strict")) throw Bodies.cannotHandle(def.kind(), def.version(), StrictDecoding.strictErrorMessage(strictErrors));
        return new ArrayList<>(strictErrors);
    }

    /** RFC 7234 warn-code 299, as kube-apiserver writes them (kubectl prints "Warning: <text>"). */
    static String warningHeader(List<String> warnings) {
        List<String> parts = new ArrayList<>();
        for (String w : warnings) parts.add("299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        return String.join(", ", parts);
    }

}
