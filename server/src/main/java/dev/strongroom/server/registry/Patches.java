package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.transport.MediaTypes;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Applies the four PATCH content types to the current object. */
public final class Patches implements ResourceHandler.PatchApplier {

    @Override
    public ObjectNode apply(String contentType, ObjectNode current, byte[] patch, ResourceDef def) {
        JsonNode p = parse(contentType, patch, def);
        JsonNode result = switch (contentType) {
            case MediaTypes.JSON_PATCH -> jsonPatch(current, p, def);
            case MediaTypes.APPLY_PATCH -> current == null ? p : mergePatch(current, p);
            default -> mergePatch(current, p);
        };
        if (!(result instanceof ObjectNode o)) {
            throw ApiException.invalid(def.group(), def.kind(), "", List.of(FieldError.invalid("patch", "", "the patched object is not a JSON object")));
        }
        return o;
    }

    private static JsonNode parse(String contentType, byte[] patch, ResourceDef def) {
        try {
            if (contentType.equals(MediaTypes.APPLY_PATCH)) return Json.YAML.readTree(patch);
            return Json.parse(patch);
        } catch (Exception e) {
            throw ApiException.badRequest("error decoding patch: " + e.getMessage().split("\n")[0]);
        }
    }

    private static JsonNode jsonPatch(ObjectNode current, JsonNode p, ResourceDef def) {
        try {
            return com.flipkart.zjsonpatch.JsonPatch.apply(p, current);
        } catch (RuntimeException e) {
            throw ApiException.invalid(def.group(), def.kind(), Meta.name(current),
                    List.of(FieldError.invalid("patch", "", e.getMessage())));
        }
    }

    /** RFC 7386. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch;
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }
}
