package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.time.Instant;
import java.util.List;

/** Lists and server-side Tables ({@code meta.k8s.io/v1 Table}) as kube-apiserver writes them. */
public final class Rendering {
    private Rendering() {}

    /** What a Table row carries besides its cells ({@code includeObject}). */
    public enum IncludeObject { METADATA, OBJECT, NONE;
        public static IncludeObject parse(String v) {
            if (v == null || v.isEmpty() || v.equals("Metadata")) return METADATA;
            if (v.equals("Object")) return OBJECT;
            if (v.equals("None")) return NONE;
            throw dev.strongroom.api.errors.ApiException.badRequest("includeObject: Unsupported value: \"" + v + "\": supported values: \"Metadata\", \"None\", \"Object\"");
        }
    }

    public static ObjectNode list(ResourceDef def, ResourceStore.Page page) {
        ObjectNode out = Json.object();
        out.put("kind", def.listKind());
        out.put("apiVersion", def.apiVersion());
        ObjectNode meta = out.putObject("metadata");
        meta.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) meta.put("continue", page.continueToken());
        if (page.remainingItemCount() != null) meta.put("remainingItemCount", page.remainingItemCount());
        ArrayNode items = out.putArray("items");
        for (ObjectNode o : page.items()) {
            // Items of a list carry no kind/apiVersion on a real server. The items are fresh from decoding: edit in place.
            o.remove("kind");
            o.remove("apiVersion");
            items.add(o);
        }
        return out;
    }

    public static ObjectNode table(ResourceDef def, List<ObjectNode> objects, String tableVersion, IncludeObject include,
                                   String resourceVersion, String continueToken, Long remaining, boolean withColumns) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/" + tableVersion);
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) meta.put("resourceVersion", resourceVersion);
        if (continueToken != null) meta.put("continue", continueToken);
        if (remaining != null) meta.put("remainingItemCount", remaining);
        if (withColumns) t.set("columnDefinitions", def.strategy().table().columnDefinitions());
        else t.putNull("columnDefinitions");
        ArrayNode rows = t.putArray("rows");
        Instant now = Instant.now();
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object c : def.strategy().table().cells().apply(o, now)) {
                if (c instanceof Number n) cells.add(n.longValue());
                else if (c == null) cells.addNull();
                else cells.add(c.toString());
            }
            switch (include) {
                case NONE -> row.putNull("object");
                case OBJECT -> row.set("object", o);
                case METADATA -> {
                    ObjectNode p = row.putObject("object");
                    p.put("kind", "PartialObjectMetadata");
                    p.put("apiVersion", "meta.k8s.io/" + tableVersion);
                    JsonNode m = o.get("metadata");
                    p.set("metadata", m == null ? Json.object() : m);
                }
            }
        }
        return t;
    }
}
