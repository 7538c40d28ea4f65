package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.time.Instant;

/** Records which manager wrote an object ({@code metadata.managedFields}). */
public final class ManagedFieldsTracker implements ResourceHandler.FieldManager {
    @Override
    public JsonNode update(JsonNode managedFields, ObjectNode oldObj, ObjectNode newObj, String manager, String operation,
                           String apiVersion, Instant now) {
        ArrayNode out = Json.NODES.arrayNode();
        if (managedFields != null && managedFields.isArray()) {
            for (JsonNode e : managedFields) {
                if (!(manager.equals(e.path("manager").asText()) && operation.equals(e.path("operation").asText()))) out.add(e);
            }
        }
        ObjectNode entry = out.addObject();
        entry.put("manager", manager);
        entry.put("operation", operation);
        entry.put("apiVersion", apiVersion);
        entry.put("time", Meta.time(now));
        entry.put("fieldsType", "FieldsV1");
        entry.putObject("fieldsV1");
        return out;
    }
}
