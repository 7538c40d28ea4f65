package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.api.patch.JsonMergePatch;
import dev.strongroom.api.patch.JsonPatch;
import dev.strongroom.api.patch.PatchException;
import dev.strongroom.api.patch.StrategicMergePatch;
import dev.strongroom.server.transport.MediaTypes;

import java.io.IOException;
import java.util.List;

/**
 * Applies a PATCH body to the current object: JSON merge (RFC 7386), JSON patch (RFC 6902), strategic merge (with
 * each kind's patch metadata) and server-side apply. Errors never echo object contents: a Secret's are secret.
 */
final class Patches {

    ObjectNode apply(String contentType, ObjectNode current, byte[] patch, ResourceDef def) {
        JsonNode p = parse(contentType, patch);
        try {
            JsonNode result = switch (contentType) {
                case MediaTypes.JSON_PATCH -> JsonPatch.apply(current, p);
                case MediaTypes.MERGE_PATCH -> JsonMergePatch.apply(current, p);
                // Server-side apply merges the configuration like a strategic merge: maps by key, lists by their
                // merge keys, atomic lists replaced.
                default -> StrategicMergePatch.apply(current, p, KindSchemas.of(def.apiVersion(), def.kind()));
            };
            if (!(result instanceof ObjectNode o)) {
                throw ApiException.invalid(def.group(), def.kind(), Meta.name(current),
                        List.of(new FieldError(FieldError.Type.INVALID, "patch", FieldError.OMIT, "the patched document is not a JSON object")));
            }
            return o;
        } catch (PatchException e) {
            throw toApiException(e, def, Meta.name(current));
        }
    }

    /** The configuration of an apply request (YAML or JSON). */
    JsonNode appliedConfig(byte[] body, ResourceDef def) {
        JsonNode n = parse(MediaTypes.APPLY_PATCH, body);
        if (!n.isObject()) throw ApiException.badRequest("error decoding YAML: the apply configuration must be an object");
        return n;
    }

    private static JsonNode parse(String contentType, byte[] patch) {
        try {
            if (contentType.equals(MediaTypes.APPLY_PATCH)) return Json.YAML.readTree(patch);
            return Json.MAPPER.readTree(patch);
        } catch (IOException e) {
            // Jackson's message quotes the offending input; report the position only.
            long at = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null ? j.getLocation().getCharOffset() : -1;
            throw ApiException.badRequest("error decoding patch: malformed " + (contentType.equals(MediaTypes.APPLY_PATCH) ? "YAML" : "JSON")
                    + (at >= 0 ? " at offset " + at : ""));
        }
    }

    private static ApiException toApiException(PatchException e, ResourceDef def, String name) {
        return switch (e.code()) {
            case 400 -> ApiException.badRequest(e.statusMessage());
            case 413 -> ApiException.requestEntityTooLarge(e.statusMessage());
            case 422 -> ApiException.invalid(def.group(), def.kind(), name,
                    List.of(new FieldError(FieldError.Type.INVALID, "patch", FieldError.OMIT, e.statusMessage())));
            // Upstream's internal patch errors print the maps involved (%v), i.e. object contents: keep them out.
            default -> ApiException.internal("the patch could not be applied to " + def.groupResource() + " \"" + name + "\": the patch is not valid for this object");
        };
    }
}
