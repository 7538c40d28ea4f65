package dev.strongroom.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.codec.Schema;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.ListType;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two structured-merge-diff walks managed fields need, over canonical JSON objects and their schema:
 * {@code TypedValue.Compare} (which paths an operation added, modified or removed) and {@code ToFieldSet} (which
 * paths an applied configuration specifies).
 *
 * <p>The rule that decides on {@code "."} entries lives here: a map, struct or list item that is itself added or
 * removed is recorded alongside its children (upstream's {@code postItemHook}), while one that merely changed inside
 * is not. Atomic structs and lists, and containers empty on both sides, are leaves.
 */
final class FieldWalk {
    private FieldWalk() {}

    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {}

    /** Compares two values of {@code schema} ({@code lhs}: before, {@code rhs}: after). */
    static Comparison compare(JsonNode lhs, JsonNode rhs, Schema schema) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        compare(lhs, rhs, schema, new ArrayList<>(), c);
        return c;
    }

    /** Java null: absent; {@code NullNode}: present and null (they differ, as {@code nil} and a null value do). */
    private static void compare(JsonNode l, JsonNode r, Schema schema, List<PathElement> path, Comparison c) {
        switch (schema) {
            case Struct s when !s.atomic() -> {
                if (emptyMap(l) && emptyMap(r)) {
                    leaf(l, r, path, c);
                    return;
                }
                Map<String, JsonNode[]> zip = zipObjects(l, r);
                zip.forEach((k, v) -> {
                    Schema.Field f = s.field(k);
                    compare(v[0], v[1], f == null ? new Schema.FreeForm("unknown") : f.schema(), append(path, new PathElement.Field(k)), c);
                });
                post(l, r, path, c);
            }
            case MapOf m -> {
                if (emptyMap(l) && emptyMap(r)) {
                    leaf(l, r, path, c);
                    return;
                }
                zipObjects(l, r).forEach((k, v) -> compare(v[0], v[1], m.value(), append(path, new PathElement.Field(k)), c));
                post(l, r, path, c);
            }
            case ListOf list when list.listType() != ListType.ATOMIC -> {
                if (emptyList(l) && emptyList(r)) {
                    leaf(l, r, path, c);
                    return;
                }
                Map<PathElement, JsonNode[]> zip = new LinkedHashMap<>();
                items(l, list, zip, 0);
                items(r, list, zip, 1);
                zip.forEach((pe, v) -> compare(v[0], v[1], list.element(), append(path, pe), c));
                post(l, r, path, c);
            }
            default -> leaf(l, r, path, c);
        }
    }

    private static void leaf(JsonNode l, JsonNode r, List<PathElement> path, Comparison c) {
        if (path.isEmpty()) return;
        if (l == null) c.added().insert(path);
        else if (r == null) c.removed().insert(path);
        else if (!l.equals(r)) c.modified().insert(path);
    }

    private static void post(JsonNode l, JsonNode r, List<PathElement> path, Comparison c) {
        if (path.isEmpty()) return;
        if (l == null) c.added().insert(path);
        else if (r == null) c.removed().insert(path);
    }

    /** Each item's path element; the first of duplicate items wins, as with upstream's AllowDuplicates. */
    private static void items(JsonNode list, ListOf schema, Map<PathElement, JsonNode[]> zip, int side) {
        if (list == null || !list.isArray()) return;
        java.util.Set<PathElement> seen = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            PathElement pe = itemElement(list.get(i), schema, i);
            if (pe == null || !seen.add(pe)) continue;
            zip.computeIfAbsent(pe, k -> new JsonNode[2])[side] = list.get(i);
        }
    }

    /** {@code listItemToPathElement}; null for an item that cannot be keyed (upstream reports an error). */
    static PathElement itemElement(JsonNode item, ListOf schema, int index) {
        return switch (schema.listType()) {
            case SET -> item.isContainerNode() ? null : new PathElement.Value(item);
            case MAP -> {
                if (!item.isObject()) yield null;
                List<Map.Entry<String, JsonNode>> key = new ArrayList<>();
                for (String k : schema.keys()) {
                    JsonNode v = item.get(k);
                    if (v == null) yield null;
                    key.add(Map.entry(k, v));
                }
                yield PathElement.key(key);
            }
            case ATOMIC -> new PathElement.Index(index);
        };
    }

    /**
     * {@code ToFieldSet} of an applied configuration: scalars and atomic values are leaves; list items are always
     * recorded; a struct field is recorded itself only when its value is null or an empty object.
     */
    static FieldSet toFieldSet(JsonNode value, Schema schema) {
        FieldSet s = new FieldSet();
        toFieldSet(value, schema, new ArrayList<>(), s);
        return s;
    }

    private static void toFieldSet(JsonNode v, Schema schema, List<PathElement> path, FieldSet out) {
        switch (schema) {
            case Struct st when !st.atomic() -> {
                if (v == null || !v.isObject()) return;
                v.properties().forEach(e -> {
                    Schema.Field f = st.field(e.getKey());
                    if (f == null) return; // strict decoding has already rejected or dropped it
                    List<PathElement> p = append(path, new PathElement.Field(e.getKey()));
                    toFieldSet(e.getValue(), f.schema(), p, out);
                    JsonNode fv = e.getValue();
                    if (fv.isNull() || (fv.isObject() && fv.isEmpty())) out.insert(p);
                });
            }
            case MapOf m -> {
                if (v == null || !v.isObject()) return;
                v.properties().forEach(e -> {
                    List<PathElement> p = append(path, new PathElement.Field(e.getKey()));
                    toFieldSet(e.getValue(), m.value(), p, out);
                    out.insert(p); // not a declared field: always recorded
                });
            }
            case ListOf l when l.listType() != ListType.ATOMIC -> {
                if (v == null || !v.isArray()) return;
                for (int i = 0; i < v.size(); i++) {
                    PathElement pe = itemElement(v.get(i), l, i);
                    if (pe == null) continue;
                    List<PathElement> p = append(path, pe);
                    toFieldSet(v.get(i), l.element(), p, out);
                    out.insert(p);
                }
            }
            default -> {
                if (!path.isEmpty()) out.insert(path);
            }
        }
    }

    private static boolean emptyMap(JsonNode v) {
        return v == null || !v.isObject() || v.isEmpty();
    }

    private static boolean emptyList(JsonNode v) {
        return v == null || !v.isArray() || v.isEmpty();
    }

    /** Keys of {@code l} then those only in {@code r}, each with its two values. */
    private static Map<String, JsonNode[]> zipObjects(JsonNode l, JsonNode r) {
        Map<String, JsonNode[]> zip = new LinkedHashMap<>();
        if (l != null && l.isObject()) l.properties().forEach(e -> zip.computeIfAbsent(e.getKey(), k -> new JsonNode[2])[0] = e.getValue());
        if (r != null && r.isObject()) r.properties().forEach(e -> zip.computeIfAbsent(e.getKey(), k -> new JsonNode[2])[1] = e.getValue());
        return zip;
    }

    private static List<PathElement> append(List<PathElement> path, PathElement pe) {
        List<PathElement> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(pe);
        return p;
    }
}
