package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.GoFormat;
import dev.strongroom.api.codec.Schema;
import dev.strongroom.api.codec.Schema.Field;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Struct;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code application/strategic-merge-patch+json}: a port of the server side of apimachinery's
 * {@code pkg/util/strategicpatch} ({@code StrategicMergeMapPatch} with {@code MergeParallelList} and
 * {@code IgnoreUnmatchedNulls}), driven by the patch tags recorded in {@link dev.strongroom.api.codec.KindSchemas}:
 * lists tagged {@code patchStrategy:"merge"} merge by their {@code patchMergeKey} (or as sets of primitives),
 * every other list is replaced, maps and structs merge key by key, {@code null} deletes.
 *
 * <p>Directives: {@code $patch: replace|delete} on maps and list items, {@code $retainKeys},
 * {@code $setElementOrder/<field>}, {@code $deleteFromPrimitiveList/<field>}. {@code $patch: merge} is rejected as
 * upstream rejects it. Errors carry upstream's text and status (see {@link PatchException}).
 *
 * <p>One deliberate difference: upstream copies a patch value verbatim wherever the original has no such key, so
 * directives nested inside new content end up in the object. Here such values are merged onto an empty value
 * instead, which applies and removes their directives; for directive-free content the result is identical.
 */
public final class StrategicMergePatch {
    private StrategicMergePatch() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DIRECTIVE = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";

    /** Applies {@code patch} to a copy of {@code original} (an object of the kind {@code schema} describes). */
    public static ObjectNode apply(JsonNode original, JsonNode patch, Struct schema) throws PatchException {
        if (patch == null || !patch.isObject()) {
            // The handler unmarshals the body into map[string]interface{} first.
            throw PatchException.badRequest("json: cannot unmarshal " + goKind(patch) + " into Go value of type map[string]interface {}");
        }
        ObjectNode o = original != null && original.isObject() ? (ObjectNode) original.deepCopy() : NODES.objectNode();
        return mergeMap(o, (ObjectNode) patch.deepCopy(), schema);
    }

    // ---- maps ----

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema t) throws PatchException {
        if (patch.has(DIRECTIVE)) {
            JsonNode directive = patch.get(DIRECTIVE);
            if (isString(directive, "replace")) {
                patch.remove(DIRECTIVE);
                return sanitizeMap(patch, t);
            }
            if (isString(directive, "delete")) return NODES.objectNode();
            throw PatchException.internal("unknown patch type: " + percentS(directive) + " in map: " + GoFormat.sprint(patch));
        }
        if (original == null) original = NODES.objectNode();
        applyRetainKeys(original, patch);
        mergePatchIntoOriginal(original, patch, t);

        for (String key : keys(patch)) {
            JsonNode patchV = patch.get(key);
            String k = key;
            boolean isDeleteList = false;
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                k = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
                isDeleteList = true;
            }
            if (patchV.isNull()) {
                original.remove(k);
                continue;
            }
            JsonNode origV = original.get(k);
            if (origV == null) {
                if (!isDeleteList) original.set(k, sanitize(patchV, fieldOf(t, k)));
                continue;
            }
            if (!goType(origV).equals(goType(patchV))) {
                if (!isDeleteList) original.set(k, sanitize(patchV, fieldOf(t, k)));
                continue;
            }
            if (origV.isObject()) {
                Meta m = lookup(t, k);
                original.set(k, "replace".equals(m.strategy)
                        ? sanitizeMap((ObjectNode) patchV, m.schema)
                        : mergeMap((ObjectNode) origV, (ObjectNode) patchV, m.schema));
            } else if (origV.isArray()) {
                Meta m = lookup(t, k);
                original.set(k, mergeSliceHandler((ArrayNode) origV, (ArrayNode) patchV, m, isDeleteList));
            } else {
                original.set(k, patchV);
            }
        }
        return original;
    }

    /** {@code applyRetainKeysDirective}: keys absent from the list are cleared from the original. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) throws PatchException {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) return;
        if (!retain.isArray()) throw PatchException.badRequest("invalid patch format of retainKeys");
        Set<String> keep = new HashSet<>();
        for (JsonNode v : retain) if (v.isTextual()) keep.add(v.textValue());
        for (String k : keys(patch)) {
            if (patch.get(k).isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
            if (!keep.contains(k)) throw PatchException.badRequest("invalid patch format of retainKeys");
        }
        for (String k : keys(original)) {
            if (!keep.contains(k)) original.remove(k);
        }
    }

    /** {@code mergePatchIntoOriginal}: each {@code $setElementOrder/<field>} with its list, merged and ordered. */
    private static void mergePatchIntoOriginal(ObjectNode original, ObjectNode patch, Schema t) throws PatchException {
        for (String key : keys(patch)) {
            if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
            JsonNode order = patch.remove(key);
            if (!order.isArray()) throw badArgType("[]interface {}", order);
            String originalKey = extractKey(key, SET_ELEMENT_ORDER);
            JsonNode originalList = original.get(originalKey);
            JsonNode patchList = patch.get(originalKey);
            if (originalList != null && !originalList.isArray()) throw badArgType("[]interface {}", originalList);
            if (patchList != null && !patchList.isArray()) throw badArgType("[]interface {}", patchList);
            Meta m = lookup(t, originalKey);
            validatePatchWithSetOrderList(patchList, (ArrayNode) order, m.mergeKey);

            ArrayNode merged;
            if (originalList != null && patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (originalList == null && patchList != null) {
                merged = mergeSliceHandler(NODES.arrayNode(), (ArrayNode) patchList, m, false);
            } else if (originalList != null) {
                merged = mergeSliceHandler((ArrayNode) originalList, (ArrayNode) patchList, m, false);
            } else {
                continue;
            }
            Split parts = m.mergeKey == null
                    ? partitionPrimitives(list(merged), list(order))
                    : partitionMaps(list(merged), list(order), m.mergeKey);
            String kind = sliceElementType(list(originalList), list(patchList));
            List<JsonNode> both = normalizeElementOrder(parts.first(), parts.second(), list(order), list(originalList), m.mergeKey, kind);
            original.set(originalKey, array(both));
            patch.remove(originalKey);
        }
    }

    private static void validatePatchWithSetOrderList(JsonNode patchList, ArrayNode order, String mergeKey)
            throws PatchException {
        List<JsonNode> p = list(patchList);
        if (order.isEmpty() || p.isEmpty()) return;
        List<JsonNode> nonDelete = mergeKey != null ? extractToDeleteItems(p).first() : p;
        int pi = 0, si = 0;
        while (pi < nonDelete.size() && si < order.size()) {
            if (nonDelete.get(pi).isObject() && nonDelete.get(pi).has(DIRECTIVE)) {
                pi++;
                continue;
            }
            if (mergeKeyValueEqual(nonDelete.get(pi), order.get(si), mergeKey)) pi++;
            si++;
        }
        if (pi < nonDelete.size() && si >= order.size()) {
            throw PatchException.internal("The order in patch list:\n" + GoFormat.sprint(patchList) + "\n doesn't match "
                    + SET_ELEMENT_ORDER + " list:\n" + GoFormat.sprint(order) + "\n");
        }
    }

    // ---- lists ----

    private static ArrayNode mergeSliceHandler(ArrayNode original, ArrayNode patch, Meta m, boolean isDeleteList)
            throws PatchException {
        if (!"merge".equals(m.strategy)) return sanitizeList(patch, m);
        Schema elem = m.schema instanceof ListOf l ? l.element() : null;
        return array(mergeSlice(list(original), list(patch), elem, m.mergeKey, isDeleteList));
    }

    private static List<JsonNode> mergeSlice(List<JsonNode> original, List<JsonNode> patch, Schema elem,
                                             String mergeKey, boolean isDeleteList) throws PatchException {
        if (original.isEmpty() && patch.isEmpty()) return original;
        String kind = sliceElementType(original, patch);
        List<JsonNode> merged;
        if (!kind.equals("map")) {
            if (isDeleteList) return deleteFromSlice(original, patch);
            List<JsonNode> both = new ArrayList<>(original);
            both.addAll(patch);
            merged = deduplicateScalars(both);
        } else {
            if (mergeKey == null) {
                throw PatchException.internal("cannot merge lists without merge key for type "
                        + (elem instanceof Struct ? "struct" : "map"));
            }
            Split special = mergeSliceWithSpecialElements(original, patch, mergeKey);
            original = special.first();
            patch = special.second();
            merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, elem);
        }
        Split parts = mergeKey == null ? partitionPrimitives(merged, patch) : partitionMaps(merged, patch, mergeKey);
        return normalizeElementOrder(parts.first(), parts.second(), patch, original, mergeKey, kind);
    }

    /** {@code $patch: delete|replace} items; returns {original, patch without special items}. */
    private static Split mergeSliceWithSpecialElements(List<JsonNode> original, List<JsonNode> patch,
                                                                   String mergeKey) throws PatchException {
        List<JsonNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode v : patch) {
            JsonNode directive = v.get(DIRECTIVE);
            if (directive == null) {
                plain.add(v);
            } else if (isString(directive, "delete")) {
                JsonNode value = v.get(mergeKey);
                if (value == null) throw noMergeKey(v, mergeKey);
                original = deleteMatchingEntries(original, mergeKey, value);
            } else if (isString(directive, "replace")) {
                replace = true; // keep scanning to drop the other special items
            } else if (isString(directive, "merge")) {
                throw PatchException.internal("merging lists cannot yet be specified in the patch");
            } else {
                throw PatchException.internal("unknown patch type: " + percentS(directive) + " in map: " + GoFormat.sprint(v));
            }
        }
        if (replace) return new Split(plain, new ArrayList<>());
        return new Split(original, plain);
    }

    private static List<JsonNode> deleteMatchingEntries(List<JsonNode> original, String mergeKey, JsonNode value)
            throws PatchException {
        List<JsonNode> out = new ArrayList<>(original);
        while (true) {
            int i = findMapInSlice(out, mergeKey, value);
            if (i < 0) return out;
            out.remove(i);
        }
    }

    private static List<JsonNode> mergeSliceWithoutSpecialElements(List<JsonNode> original, List<JsonNode> patch,
                                                                   String mergeKey, Schema elem) throws PatchException {
        List<JsonNode> out = new ArrayList<>(original);
        for (JsonNode v : patch) {
            JsonNode value = v.get(mergeKey);
            if (value == null) throw noMergeKey(v, mergeKey);
            int i = findMapInSlice(out, mergeKey, value);
            if (i >= 0) out.set(i, mergeMap((ObjectNode) out.get(i), (ObjectNode) v, elem));
            else out.add(sanitizeMap((ObjectNode) v, elem));
        }
        return out;
    }

    private static List<JsonNode> deleteFromSlice(List<JsonNode> current, List<JsonNode> toDelete) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : current) {
            boolean found = false;
            for (JsonNode d : toDelete) if (goEquals(v, d)) found = true;
            if (!found) out.add(v);
        }
        return out;
    }

    /** Upstream's in-place de-duplication, which moves the last element into each duplicate's slot. */
    private static List<JsonNode> deduplicateScalars(List<JsonNode> in) {
        List<JsonNode> s = new ArrayList<>(in);
        int length = s.size() - 1;
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j <= length; j++) {
                if (goEquals(s.get(i), s.get(j))) {
                    s.set(j, s.get(length));
                    s.remove(length);
                    length--;
                    j--;
                }
            }
        }
        return s;
    }

    private static Split partitionPrimitives(List<JsonNode> original, List<JsonNode> partitionBy) {
        List<JsonNode> patch = new ArrayList<>(), serverOnly = new ArrayList<>();
        for (JsonNode v : original) {
            boolean in = false;
            for (JsonNode p : partitionBy) if (goEquals(v, p)) in = true;
            (in ? patch : serverOnly).add(v);
        }
        return new Split(patch, serverOnly);
    }

    private static Split partitionMaps(List<JsonNode> original, List<JsonNode> partitionBy, String mergeKey)
            throws PatchException {
        List<JsonNode> patch = new ArrayList<>(), serverOnly = new ArrayList<>();
        for (JsonNode v : original) {
            if (!v.isObject()) throw badArgType("map[string]interface {}", v);
            JsonNode value = v.get(mergeKey);
            if (value == null) throw noMergeKey(v, mergeKey);
            (findMapInSlice(partitionBy, mergeKey, value) >= 0 ? patch : serverOnly).add(v);
        }
        return new Split(patch, serverOnly);
    }

    /**
     * Patch items in the patch's order, server-only items in the live order, then interleaved so that both
     * relative orders hold and, where comparable, the live order decides ({@code normalizeElementOrder}).
     */
    private static List<JsonNode> normalizeElementOrder(List<JsonNode> patch, List<JsonNode> serverOnly,
                                                        List<JsonNode> patchOrder, List<JsonNode> serverOrder,
                                                        String mergeKey, String kind) throws PatchException {
        patch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
        serverOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
        return mergeSortedSlice(serverOnly, patch, serverOrder, mergeKey, kind);
    }

    private static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort, List<JsonNode> order, String mergeKey,
                                                      String kind) throws PatchException {
        List<JsonNode> toDelete = List.of();
        if (kind.equals("map")) {
            validateMergeKeyInLists(mergeKey, toSort, order);
            Split parts = extractToDeleteItems(toSort);
            toSort = parts.first();
            toDelete = parts.second();
        }
        // Go's sort.SliceStable is an insertion sort for lists of up to 20 items; with a consistent order (every
        // item found in `order`, as here) any stable sort agrees with it.
        List<JsonNode> s = new ArrayList<>(toSort);
        for (int i = 1; i < s.size(); i++) {
            for (int j = i; j > 0 && less(s.get(j), s.get(j - 1), order, mergeKey, kind); j--) {
                JsonNode tmp = s.get(j);
                s.set(j, s.get(j - 1));
                s.set(j - 1, tmp);
            }
        }
        s.addAll(toDelete);
        return s;
    }

    private static boolean less(JsonNode a, JsonNode b, List<JsonNode> order, String mergeKey, String kind) {
        int ia = index(order, a, mergeKey, kind);
        if (ia >= 0) {
            int ib = index(order, b, mergeKey, kind);
            if (ib >= 0) return ia < ib;
        }
        return true;
    }

    private static List<JsonNode> mergeSortedSlice(List<JsonNode> left, List<JsonNode> right, List<JsonNode> serverOrder,
                                                   String mergeKey, String kind) {
        int size = left.size() + right.size();
        List<JsonNode> s = new ArrayList<>(size);
        int i = 0, j = 0;
        for (int k = 0; k < size; k++) {
            if (i >= left.size() && j < right.size()) {
                s.add(right.get(j++));
            } else if (j >= right.size() && i < left.size()) {
                s.add(left.get(i++));
            } else {
                int li = index(serverOrder, left.get(i), mergeKey, kind);
                int ri = index(serverOrder, right.get(j), mergeKey, kind);
                if (li >= 0 && ri >= 0 && li < ri) s.add(left.get(i++));
                else s.add(right.get(j++));
            }
        }
        return s;
    }

    /** Position of {@code v} in {@code l}, comparing merge-key values for maps and values otherwise. */
    private static int index(List<JsonNode> l, JsonNode v, String mergeKey, String kind) {
        for (int i = 0; i < l.size(); i++) {
            JsonNode item = l.get(i);
            boolean eq = kind.equals("map")
                    ? goEquals(v.isObject() ? v.get(mergeKey) : null, item.isObject() ? item.get(mergeKey) : null)
                    : goEquals(v, item);
            if (eq) return i;
        }
        return -1;
    }

    private static Split extractToDeleteItems(List<JsonNode> l) throws PatchException {
        List<JsonNode> keep = new ArrayList<>(), delete = new ArrayList<>();
        for (JsonNode v : l) {
            if (!v.isObject()) throw badArgType("map[string]interface {}", v);
            (isString(v.get(DIRECTIVE), "delete") ? delete : keep).add(v);
        }
        return new Split(keep, delete);
    }

    private static void validateMergeKeyInLists(String mergeKey, List<JsonNode> a, List<JsonNode> b) throws PatchException {
        for (List<JsonNode> l : List.of(a, b)) {
            for (JsonNode item : l) {
                if (!item.isObject()) throw badArgType("map[string]interface {}", item);
                if (!item.has(mergeKey)) throw noMergeKey(item, mergeKey);
            }
        }
    }

    private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) throws PatchException {
        if (mergeKey == null) return goEquals(left, right);
        if (!left.isObject()) throw badArgType("map[string]interface {}", left);
        if (!right.isObject()) throw badArgType("map[string]interface {}", right);
        if (!left.has(mergeKey)) throw noMergeKey(left, mergeKey);
        if (!right.has(mergeKey)) throw noMergeKey(right, mergeKey);
        return goEquals(left.get(mergeKey), right.get(mergeKey));
    }

    private static int findMapInSlice(List<JsonNode> l, String key, JsonNode value) throws PatchException {
        for (int i = 0; i < l.size(); i++) {
            JsonNode v = l.get(i);
            if (!v.isObject()) throw PatchException.internal("value for key " + i + " is not a map.");
            JsonNode match = v.get(key);
            if (match != null && goEquals(match, value)) return i;
        }
        return -1;
    }

    /** The common Go type of the elements ({@code map}, {@code string}, {@code int64}...), as upstream requires. */
    private static String sliceElementType(List<JsonNode> a, List<JsonNode> b) throws PatchException {
        String prev = null;
        for (List<JsonNode> l : List.of(a, b)) {
            for (JsonNode v : l) {
                String t = goType(v);
                if (prev == null) {
                    prev = t;
                    if (t.equals("slice")) throw PatchException.invalid("lists of lists are not supported");
                } else if (!prev.equals(t)) {
                    throw PatchException.internal("list element types are not identical: ["
                            + GoFormat.sprint(array(a)) + " " + GoFormat.sprint(array(b)) + "]");
                }
            }
        }
        if (prev == null) throw PatchException.internal("no elements in any of the given slices");
        return prev;
    }

    // ---- new content: applied onto nothing, so its directives take effect instead of being stored ----

    private static JsonNode sanitize(JsonNode v, Field f) throws PatchException {
        Schema s = f == null ? null : f.schema();
        if (v.isObject()) return sanitizeMap((ObjectNode) v, s);
        if (v.isArray()) return sanitizeList((ArrayNode) v, new Meta(s, f == null ? null : f.patchStrategy(),
                f == null ? null : f.patchMergeKey()));
        return v;
    }

    private static ObjectNode sanitizeMap(ObjectNode v, Schema s) throws PatchException {
        return mergeMap(NODES.objectNode(), v, s);
    }

    private static ArrayNode sanitizeList(ArrayNode v, Meta m) throws PatchException {
        Schema elem = m.schema instanceof ListOf l ? l.element() : null;
        if ("merge".equals(m.strategy) && !v.isEmpty()) {
            return array(mergeSlice(new ArrayList<>(), list(v), elem, m.mergeKey, false));
        }
        ArrayNode out = NODES.arrayNode(v.size());
        for (JsonNode e : v) out.add(e.isObject() ? sanitizeMap((ObjectNode) e, elem) : e);
        return out;
    }

    // ---- patch metadata ----

    /** Two lists produced together (kept/deleted, patch/server-only, original/patch). */
    private record Split(List<JsonNode> first, List<JsonNode> second) {}

    /** A field's type and tags ({@code LookupPatchMetadata}). */
    private record Meta(Schema schema, String strategy, String mergeKey) {}

    private static Field fieldOf(Schema t, String key) {
        return t instanceof Struct s ? s.field(key) : null;
    }

    private static Meta lookup(Schema t, String key) throws PatchException {
        if (t instanceof Struct s) {
            Field f = s.field(key);
            if (f == null) {
                throw PatchException.internal("unable to find api field in struct " + s.name() + " for the json field \"" + key + "\"");
            }
            return new Meta(f.schema(), f.patchStrategy(), f.patchMergeKey());
        }
        if (t instanceof MapOf m) return new Meta(m.value(), null, null);
        return new Meta(null, null, null); // untyped content (fieldsV1): plain merge
    }

    private static String extractKey(String s, String prefix) throws PatchException {
        int slash = s.indexOf('/');
        if (slash < 0 || !s.substring(0, slash).equals(prefix)) {
            throw PatchException.badRequest(prefix.equals(SET_ELEMENT_ORDER)
                    ? "invalid patch format of setElementOrder list" : "invalid patch format of primitive list");
        }
        return s.substring(slash + 1);
    }

    // ---- Go's view of JSON values ----

    /** The dynamic Go type of a value decoded by apimachinery's json (integers as int64). */
    private static String goType(JsonNode v) {
        if (v == null || v.isNull()) return "nil";
        if (v.isObject()) return "map";
        if (v.isArray()) return "slice";
        if (v.isTextual()) return "string";
        if (v.isBoolean()) return "bool";
        if (v.isIntegralNumber() && v.canConvertToLong()) return "int64";
        return "float64";
    }

    /** Go's {@code ==} on interface values (deep for the containers Go could not compare). */
    private static boolean goEquals(JsonNode a, JsonNode b) {
        String ta = goType(a), tb = goType(b);
        if (!ta.equals(tb)) return false;
        return switch (ta) {
            case "nil" -> true;
            case "string" -> a.textValue().equals(b.textValue());
            case "bool" -> a.booleanValue() == b.booleanValue();
            case "int64" -> a.longValue() == b.longValue();
            case "float64" -> a.doubleValue() == b.doubleValue();
            default -> a.equals(b);
        };
    }

    private static boolean isString(JsonNode v, String s) {
        return v != null && v.isTextual() && v.textValue().equals(s);
    }

    /** {@code fmt}'s {@code %s} of a directive value. */
    private static String percentS(JsonNode v) {
        if (v.isTextual()) return v.textValue();
        return "%!s(" + goType(v) + "=" + GoFormat.sprint(v) + ")";
    }

    private static String goKind(JsonNode v) {
        if (v == null || v.isNull()) return "null"; // unreachable for a parsed body: null decodes to an empty map
        if (v.isArray()) return "array";
        if (v.isTextual()) return "string";
        if (v.isNumber()) return "number";
        if (v.isBoolean()) return "bool";
        return "object";
    }

    private static PatchException noMergeKey(JsonNode m, String key) {
        return PatchException.internal("map: " + GoFormat.sprint(m) + " does not contain declared merge key: " + key);
    }

    private static PatchException badArgType(String expected, JsonNode actual) {
        String t = switch (goType(actual)) {
            case "map" -> "map[string]interface {}";
            case "slice" -> "[]interface {}";
            case "nil" -> "%!s(<nil>)";
            default -> goType(actual);
        };
        return PatchException.internal("expected a " + expected + ", but received a " + t);
    }

    private static List<String> keys(ObjectNode o) {
        List<String> k = new ArrayList<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> l = new ArrayList<>();
        if (a != null && a.isArray()) a.forEach(l::add);
        return l;
    }

    private static ArrayNode array(List<JsonNode> l) {
        ArrayNode a = NODES.arrayNode(l.size());
        a.addAll(l);
        return a;
    }
}
