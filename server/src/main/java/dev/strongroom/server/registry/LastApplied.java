package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.api.meta.ManagedFields;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's {@code lastAppliedManager}: when kubectl switches an object from client-side to server-side apply,
 * conflicts on fields recorded in {@code kubectl.kubernetes.io/last-applied-configuration} are not conflicts — the
 * same user applied them before, just the other way.
 */
final class LastApplied {
    static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

    private LastApplied() {}

    static boolean allows(JsonNode live, List<ManagedFields.Conflict> conflicts) {
        if (live == null) return false;
        String text = live.path("metadata").path("annotations").path(ANNOTATION).asText("");
        if (text.isEmpty()) return false;
        JsonNode lastApplied;
        try {
            lastApplied = Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return false;
        }
        Set<String> paths = new HashSet<>();
        collect(lastApplied, "", paths);
        for (ManagedFields.Conflict c : conflicts) if (!paths.contains(c.field())) return false;
        return true;
    }

    /** Field paths in structured-merge-diff's notation ({@code .data.token}); lists are atomic leaves here. */
    private static void collect(JsonNode n, String prefix, Set<String> out) {
        if (!prefix.isEmpty()) out.add(prefix);
        if (!n.isObject()) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            collect(e.getValue(), prefix + "." + e.getKey(), out);
        }
    }
}
