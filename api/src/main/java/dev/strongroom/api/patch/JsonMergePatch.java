package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * {@code application/merge-patch+json} (RFC 7386) as kube-apiserver applies it, through
 * {@code evanphx/json-patch}'s {@code MergePatch}: objects merge recursively, {@code null} deletes, anything else
 * replaces. Where that library departs from the RFC, this follows the library, because that is what clients see:
 * a patch that is {@code null} or a scalar is rejected ({@code Invalid JSON Patch}, 400), and {@code null}s inside
 * an object that replaces a non-object are pruned while {@code null} elements of arrays are kept.
 */
public final class JsonMergePatch {
    private JsonMergePatch() {}

    /** Applies {@code patch} to a copy of {@code target}; {@code target} may be any JSON value. */
    public static JsonNode apply(JsonNode target, JsonNode patch) throws PatchException {
        if (patch == null || patch.isNull() || !(patch.isObject() || patch.isArray())) {
            throw PatchException.badRequest("Invalid JSON Patch");
        }
        if (patch.isArray()) {
            // Not a document: the result is the patch itself, with nulls pruned inside its objects.
            return pruned(patch);
        }
        if (target == null || !target.isObject()) {
            return pruned(patch);
        }
        ObjectNode doc = ((ObjectNode) target).deepCopy();
        merge(doc, (ObjectNode) patch);
        return doc;
    }

    private static void merge(ObjectNode doc, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                doc.remove(k);
                continue;
            }
            JsonNode cur = doc.get(k);
            if (cur == null || cur.isNull()) {
                doc.set(k, pruned(v));
            } else if (!cur.isObject()) {
                doc.set(k, pruned(v));
            } else if (!v.isObject()) {
                doc.set(k, v.deepCopy());
            } else {
                merge((ObjectNode) cur, (ObjectNode) v);
            }
        }
    }

    /** evanphx's {@code pruneNulls}: null members removed from objects at any depth; array elements kept. */
    private static JsonNode pruned(JsonNode v) {
        JsonNode copy = v.deepCopy();
        prune(copy);
        return copy;
    }

    private static void prune(JsonNode v) {
        if (v.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) v).properties().iterator();
            while (it.hasNext()) {
                JsonNode child = it.next().getValue();
                if (child.isNull()) it.remove();
                else prune(child);
            }
        } else if (v.isArray()) {
            for (JsonNode child : (ArrayNode) v) {
                if (!child.isNull()) prune(child);
            }
        }
    }
}
