package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and writing {@code metadata} on object trees, and the canonical field order of served JSON. */
public final class Meta {
    private Meta() {}

    /** ObjectMeta fields in Go struct order: the order kube-apiserver writes them. */
    private static final List<String> META_ORDER = List.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    public static ObjectNode meta(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) return o;
        ObjectNode o = Json.object();
        obj.set("metadata", o);
        return o;
    }

    public static String str(JsonNode node, String field) {
        if (node == null) return "";
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    public static String name(ObjectNode obj) { return str(obj.get("metadata"), "name"); }

    public static String namespace(ObjectNode obj) { return str(obj.get("metadata"), "namespace"); }

    public static Map<String, String> labels(ObjectNode obj) { return stringMap(obj.path("metadata").get("labels")); }

    public static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) return Map.of();
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return m;
    }

    /** RFC 3339 at second precision, as metav1.Time serialises. */
    public static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    public static Instant parseTime(String s) {
        try {
            return s == null || s.isEmpty() ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Puts the object's fields into Go's order and sorts map keys, with {@code resourceVersion} set (or removed when
     * null). Served JSON then matches kube-apiserver byte for byte apart from values.
     */
    public static ObjectNode canonical(ObjectNode obj, Strategy strategy, String resourceVersion) {
        ObjectNode out = Json.object();
        copyIf(obj, out, "kind");
        copyIf(obj, out, "apiVersion");
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode meta) {
            ObjectNode cm = Json.object();
            for (String f : META_ORDER) {
                if (f.equals("resourceVersion")) {
                    if (resourceVersion != null) cm.put("resourceVersion", resourceVersion);
                    continue;
                }
                JsonNode v = meta.get(f);
                if (v == null || v.isNull()) {
                    if (f.equals("creationTimestamp") && meta.has(f)) cm.putNull(f);
                    continue;
                }
                cm.set(f, (f.equals("labels") || f.equals("annotations")) ? sorted(v) : v);
            }
            // Fields we do not know are dropped earlier by decoding; keep anything else in place for safety.
            Iterator<String> it = meta.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!META_ORDER.contains(f)) cm.set(f, meta.get(f));
            }
            out.set("metadata", cm);
        } else if (m != null) {
            out.set("metadata", m);
        }
        for (String f : strategy.fieldOrder()) {
            JsonNode v = obj.get(f);
            if (v == null) continue;
            out.set(f, strategy.sortedMapFields().contains(f) ? sorted(v) : v);
        }
        return out;
    }

    private static void copyIf(ObjectNode from, ObjectNode to, String f) {
        JsonNode v = from.get(f);
        if (v != null) to.set(f, v);
    }

    /** Go marshals maps with sorted keys. */
    public static JsonNode sorted(JsonNode map) {
        if (!map.isObject()) return map;
        List<String> keys = new ArrayList<>();
        map.fieldNames().forEachRemaining(keys::add);
        Collections.sort(keys);
        ObjectNode o = Json.object();
        for (String k : keys) o.set(k, map.get(k));
        return o;
    }

    /** Removes a field when it is empty, as Go's {@code omitempty}. */
    public static void dropIfEmpty(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) return;
        if (v.isNull() || (v.isContainerNode() && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty())) node.remove(field);
    }
}
