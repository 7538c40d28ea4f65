package dev.strongroom.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.GoFormat;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a structured-merge-diff field path: a struct field or map key ({@code f:name}), a list item by its
 * merge keys ({@code k:{"uid":"..."}}), a set item by value ({@code v:"x"}) or an index ({@code i:0}). Ordered and
 * printed exactly as {@code sigs.k8s.io/structured-merge-diff/fieldpath} does, since the serialized sets are
 * compared byte for byte by clients and tests.
 */
sealed interface PathElement extends Comparable<PathElement> {

    record Field(String name) implements PathElement {}

    /** Key fields sorted by name, as {@code value.FieldList.Sort}. */
    record Key(List<Map.Entry<String, JsonNode>> fields) implements PathElement {}

    record Value(JsonNode value) implements PathElement {}

    record Index(int index) implements PathElement {}

    /** The fieldsV1 key: {@code f:}, {@code k:}, {@code v:}, {@code i:}. */
    default String serialize() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                for (Map.Entry<String, JsonNode> e : k.fields()) o.set(e.getKey(), e.getValue());
                yield "k:" + Json.string(o);
            }
            case Value v -> "v:" + Json.string(v.value());
            case Index i -> "i:" + i.index();
        };
    }

    /** {@code PathElement.String()}, used in conflict messages: {@code .data}, {@code [uid="a"]}, {@code [=x]}, {@code [0]}. */
    default String display() {
        return switch (this) {
            case Field f -> "." + f.name();
            case Key k -> {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : k.fields()) parts.add(e.getKey() + "=" + valueString(e.getValue()));
                yield "[" + String.join(",", parts) + "]";
            }
            case Value v -> "[=" + valueString(v.value()) + "]";
            case Index i -> "[" + i.index() + "]";
        };
    }

    /** Parses a fieldsV1 key; null for prefixes a newer server might write (upstream skips those). */
    static PathElement parse(String s) throws IOException {
        if (s.length() < 2 || s.charAt(1) != ':') return null;
        String rest = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> new Field(rest);
            case 'v' -> new Value(Json.parse(rest.getBytes(StandardCharsets.UTF_8)));
            case 'i' -> new Index(Integer.parseInt(rest));
            case 'k' -> {
                JsonNode o = Json.parse(rest.getBytes(StandardCharsets.UTF_8));
                if (!o.isObject()) throw new IOException("key must be an object: " + rest);
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : o.properties()) fields.add(Map.entry(e.getKey(), e.getValue()));
                yield key(fields);
            }
            default -> null;
        };
    }

    /** A key element with its fields sorted by name. */
    static Key key(List<Map.Entry<String, JsonNode>> fields) {
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(fields);
        sorted.sort(Map.Entry.comparingByKey());
        return new Key(List.copyOf(sorted));
    }

    /** {@code PathElement.Compare}: fields, then keys, then values, then indices. */
    @Override
    default int compareTo(PathElement o) {
        int c = Integer.compare(rank(this), rank(o));
        if (c != 0) return c;
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) o).name());
            case Key k -> compareKeys(k.fields(), ((Key) o).fields());
            case Value v -> compareValues(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    private static int rank(PathElement e) {
        return switch (e) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    private static int compareKeys(List<Map.Entry<String, JsonNode>> a, List<Map.Entry<String, JsonNode>> b) {
        for (int i = 0; ; i++) {
            if (i >= a.size() && i >= b.size()) return 0;
            if (i >= a.size()) return -1;
            if (i >= b.size()) return 1;
            int c = a.get(i).getKey().compareTo(b.get(i).getKey());
            if (c != 0) return c;
            c = compareValues(a.get(i).getValue(), b.get(i).getValue());
            if (c != 0) return c;
        }
    }

    /** {@code value.Compare}: floats, ints, strings, bools, lists, maps, null - in that order. */
    static int compareValues(JsonNode a, JsonNode b) {
        int ra = valueRank(a), rb = valueRank(b);
        if (ra <= 1 && rb <= 1) return Double.compare(a.doubleValue(), b.doubleValue());
        if (ra != rb) return Integer.compare(ra, rb);
        return switch (ra) {
            case 2 -> a.textValue().compareTo(b.textValue());
            case 3 -> Boolean.compare(a.booleanValue(), b.booleanValue());
            default -> a.toString().compareTo(b.toString());
        };
    }

    private static int valueRank(JsonNode v) {
        if (v == null || v.isNull()) return 6;
        if (v.isFloatingPointNumber()) return 0;
        if (v.isNumber()) return 1;
        if (v.isTextual()) return 2;
        if (v.isBoolean()) return 3;
        if (v.isArray()) return 4;
        return 5;
    }

    /** {@code value.ToString}: strings quoted, everything else as Go prints it. */
    private static String valueString(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return GoQuote.quote(v.textValue());
        return GoFormat.sprint(v);
    }
}
