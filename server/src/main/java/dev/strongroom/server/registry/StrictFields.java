package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Field validation ({@code fieldValidation=Strict|Warn|Ignore}) against each kind's schema. */
public final class StrictFields {
    private StrictFields() {}

    public static void check(ResourceDef def, ObjectNode obj, String mode, boolean patch) {
        // Filled in by the schema-based implementation.
    }

    static Map<String, String> takeWarnings() { return null; }
}
