package dev.strongroom.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.Schema.Field;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Scalar;
import dev.strongroom.api.codec.Schema.Struct;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON kube-apiserver would write for a value after decoding it into its Go struct: fields in struct order,
 * unknown fields gone, {@code omitempty} applied, unset non-omitempty fields as zero values or {@code null}, map keys
 * sorted, times as UTC seconds, base64 re-encoded canonically. Every decoder in this package ends here, so an
 * object looks the same whether it arrived as JSON from kubectl 1.31 or as protobuf from kubectl 1.32.
 *
 * <p>Input is expected to be type-correct (see {@link StrictDecoding}); a value of the wrong JSON type is treated
 * as unset rather than rejected.
 */
public final class GoJson {
    private GoJson() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The canonical form of {@code value} (missing or {@code null} means a zero struct). */
    public static ObjectNode canonical(JsonNode value, Struct schema) {
        return encodeStruct(value, schema);
    }

    /** The canonical form of a value of any schema; {@code null} in, zero value out. */
    static JsonNode encode(JsonNode v, Schema schema) {
        if (v != null && v.isNull()) v = null;
        return switch (schema) {
            case Struct s -> encodeStruct(v, s);
            case Scalar s -> encodeScalar(v, s);
            case ListOf l -> {
                if (v == null || !v.isArray()) yield NullNode.instance; // a nil slice
                ArrayNode a = NODES.arrayNode(v.size());
                for (JsonNode e : v) a.add(encode(e, l.element()));
                yield a;
            }
            case MapOf m -> {
                if (v == null || !v.isObject()) yield NullNode.instance; // a nil map
                // Go's encoder sorts map keys.
                List<String> keys = new ArrayList<>();
                v.fieldNames().forEachRemaining(keys::add);
                keys.sort(null);
                ObjectNode o = NODES.objectNode();
                for (String k : keys) o.set(k, encode(v.get(k), m.value()));
                yield o;
            }
            case Schema.FreeForm f -> v == null ? NullNode.instance : v.deepCopy();
        };
    }

    private static ObjectNode encodeStruct(JsonNode v, Struct schema) {
        ObjectNode out = NODES.objectNode();
        boolean present = v != null && v.isObject();
        for (Field f : schema.fields()) {
            JsonNode fv = present ? v.get(f.name()) : null;
            if (fv != null && fv.isNull()) fv = null;
            if (f.pointer()) {
                // A nil pointer is omitted (omitempty) or null; a set pointer is encoded even when zero.
                if (fv == null) {
                    if (!f.omitEmpty()) out.set(f.name(), NullNode.instance);
                } else {
                    out.set(f.name(), encode(fv, f.schema()));
                }
                continue;
            }
            JsonNode enc = encode(fv, f.schema());
            if (f.omitEmpty() && isEmpty(enc, f.schema())) continue;
            out.set(f.name(), enc);
        }
        return out;
    }

    private static JsonNode encodeScalar(JsonNode v, Scalar s) {
        switch (s.kind()) {
            case STRING:
                return NODES.textNode(v != null && v.isTextual() ? v.textValue() : "");
            case BOOL:
                return NODES.booleanNode(v != null && v.isBoolean() && v.booleanValue());
            case INT32:
            case INT64:
                return NODES.numberNode(v != null && v.isIntegralNumber() ? v.longValue() : 0L);
            case BYTES:
                if (v == null || !v.isTextual()) return NullNode.instance; // a nil []byte
                try {
                    return NODES.textNode(GoBase64.encode(GoBase64.decode(v.textValue())));
                } catch (GoBase64.CorruptInputException e) {
                    return v; // not decodable: left for validation to report, never silently changed
                }
            case TIME:
                if (v == null || !v.isTextual()) return NullNode.instance; // the zero time
                try {
                    return NODES.textNode(GoTime.format(GoTime.parse(v.textValue())));
                } catch (GoTime.ParseException e) {
                    return v;
                }
            default:
                throw new IllegalStateException(s.kind().toString());
        }
    }

    /** Go's {@code isEmptyValue} on the encoded form. Structs (and so times) are never empty. */
    private static boolean isEmpty(JsonNode enc, Schema schema) {
        return switch (schema) {
            case Struct s -> false;
            case Scalar s -> switch (s.kind()) {
                case STRING -> enc.textValue().isEmpty();
                case BOOL -> !enc.booleanValue();
                case INT32, INT64 -> enc.longValue() == 0;
                case BYTES -> enc.isNull() || enc.textValue().isEmpty();
                case TIME -> false;
            };
            case ListOf l -> enc.isNull() || enc.isEmpty();
            case MapOf m -> enc.isNull() || enc.isEmpty();
            case Schema.FreeForm f -> enc.isNull();
        };
    }
}
