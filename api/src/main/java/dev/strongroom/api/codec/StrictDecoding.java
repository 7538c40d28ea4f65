package dev.strongroom.api.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.Schema.Field;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Scalar;
import dev.strongroom.api.codec.Schema.Struct;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON request bodies decoded as kube-apiserver decodes them into Go structs ({@code sigs.k8s.io/json}
 * {@code UnmarshalStrict}: case-sensitive, Go's type rules), reporting what {@code fieldValidation} needs:
 * unknown and duplicate fields as upstream prints them ({@code unknown field "metadata.labelz"},
 * {@code duplicate field "data.a"}, {@code unknown field "rules[0].verb"}), in document order.
 *
 * <p>Type errors, bad base64 and bad times are fatal whatever the validation level, and hide strict errors, exactly as
 * upstream: {@code json: cannot unmarshal number into Go struct field Secret.data of type []uint8},
 * {@code illegal base64 data at input byte 3}. The decoded object never carries unknown fields (that is the Ignore
 * behaviour) and is in {@link GoJson canonical} form.
 *
 * <p>Server use: {@code Strict} rejects when {@link Decoded#strictErrors()} is non-empty with
 * {@link #strictErrorMessage(List)}; {@code Warn} sends each as a {@code Warning} header; {@code Ignore} uses
 * {@link Decoded#object()}.
 */
public final class StrictDecoding {
    private StrictDecoding() {}

    private static final JsonFactory FACTORY = JsonFactory.builder().build(); // duplicates allowed: reported, not fatal
    private static final ObjectMapper TREES = JsonMapper.builder(FACTORY).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** sigs.k8s.io/json stops collecting after this many strict errors. */
    private static final int MAX_STRICT_ERRORS = 100;

    /** The decoded object and the strict-mode complaints about it (empty when the body is exact). */
    public record Decoded(ObjectNode object, List<String> strictErrors) {
        public Decoded {
            strictErrors = List.copyOf(strictErrors);
        }
    }

    /** Decodes a JSON body. */
    public static Decoded decode(byte[] json, Struct schema) throws DecodeException {
        String syntax = GoJsonSyntax.check(json);
        if (syntax != null) throw new DecodeException(syntax);
        try (JsonParser p = FACTORY.createParser(json)) {
            Decoder d = new Decoder(p);
            p.nextToken();
            JsonNode tree = d.root(schema);
            if (d.saved != null) throw new DecodeException(d.saved);
            return new Decoded(GoJson.canonical(tree, schema), new ArrayList<>(d.strictErrors));
        } catch (Fatal f) {
            throw new DecodeException(f.getMessage());
        } catch (IOException e) {
            // Go's syntax check passed, so this is input Jackson refuses but Go tolerates (e.g. invalid UTF-8).
            throw new DecodeException("invalid JSON: " + e.getMessage());
        }
    }

    /** Decodes an already parsed document (a YAML apply body, a patched object) with the same rules. */
    public static Decoded decode(JsonNode tree, Struct schema) throws DecodeException {
        return decode(Json.bytes(tree), schema);
    }

    /** apimachinery's {@code runtime.NewStrictDecodingError(errs).Error()}. */
    public static String strictErrorMessage(List<String> strictErrors) {
        return "strict decoding error: " + String.join(", ", strictErrors);
    }

    /** An error Go returns at once (from a custom {@code UnmarshalJSON}) instead of saving it. */
    private static final class Fatal extends RuntimeException {
        Fatal(String m) { super(m, null, false, false); }
    }

    /** One decode: Go's {@code decodeState} with its error context and sigs.k8s.io/json's strict field stack. */
    private static final class Decoder {
        private final JsonParser p;
        /** Go's {@code errorContext.FieldStack}: struct fields only (not map keys, not indices). */
        private final List<String> fieldStack = new ArrayList<>();
        /** Go's {@code errorContext.Struct}, the innermost struct whose field is being decoded. */
        private String struct;
        /** The strict error path: {@code metadata}, {@code .labels}, {@code [0]}... joined without separators. */
        private final List<String> strictPath = new ArrayList<>();
        private final Set<String> strictErrors = new LinkedHashSet<>();
        private String saved;

        Decoder(JsonParser p) { this.p = p; }

        JsonNode root(Struct schema) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) return NODES.objectNode();
            if (t != JsonToken.START_OBJECT) {
                save("json: cannot unmarshal " + kindOf(t) + " into Go value of type " + schema.goType());
                return NODES.objectNode();
            }
            return value(schema, false, null);
        }

        private void save(String message) {
            if (saved == null) saved = message;
        }

        private String typeError(String value, String goType) {
            if (struct != null || !fieldStack.isEmpty()) {
                return "json: cannot unmarshal " + value + " into Go struct field " + struct + "."
                        + String.join(".", fieldStack) + " of type " + goType;
            }
            return "json: cannot unmarshal " + value + " into Go value of type " + goType;
        }

        private void strict(String kind, String key) {
            if (strictErrors.size() >= MAX_STRICT_ERRORS) return;
            String path = strictPath.isEmpty() ? key : String.join("", strictPath) + "." + key;
            strictErrors.add(kind + " field " + GoQuote.quote(path));
        }

        private void pushKey(String key) {
            strictPath.add(strictPath.isEmpty() ? key : "." + key);
        }

        private static String kindOf(JsonToken t) {
            return switch (t) {
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                case VALUE_STRING -> "string";
                case VALUE_TRUE, VALUE_FALSE -> "bool";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
                default -> "null";
            };
        }

        /**
         * Decodes the current value into {@code existing} (Go decodes repeated keys into the same struct or map)
         * and returns the result; Java null means Go's nil. The parser is left on the value's last token.
         */
        JsonNode value(Schema schema, boolean pointer, JsonNode existing) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                if (pointer) return null;
                return switch (schema) {
                    case ListOf l -> null;
                    case MapOf m -> null;
                    case Scalar s when s.kind() == Schema.ScalarKind.BYTES -> null;
                    case Scalar s when s.kind() == Schema.ScalarKind.TIME -> null; // UnmarshalJSON: zero time
                    default -> existing; // null into a Go value type changes nothing
                };
            }
            return switch (schema) {
                case Struct s -> struct(s, existing);
                case MapOf m -> map(m, existing);
                case ListOf l -> list(l, existing);
                case Scalar s -> scalar(s, existing);
                case Schema.FreeForm f -> TREES.readTree(p);
            };
        }

        private JsonNode struct(Struct s, JsonNode existing) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                save(typeError(kindOf(p.currentToken()), s.goType()));
                p.skipChildren();
                return existing;
            }
            ObjectNode obj = existing instanceof ObjectNode o ? o : NODES.objectNode();
            Set<String> seen = new HashSet<>();
            int stackLen = fieldStack.size(), pathLen = strictPath.size();
            String outer = struct;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                Field f = s.field(key);
                p.nextToken();
                if (f == null) {
                    strict("unknown", key);
                    p.skipChildren();
                    continue;
                }
                if (!seen.add(key)) strict("duplicate", key);
                fieldStack.add(key);
                struct = s.name();
                pushKey(key);
                JsonNode v = value(f.schema(), f.pointer(), obj.get(key));
                if (v == null) obj.remove(key);
                else obj.set(key, v);
                truncate(fieldStack, stackLen);
                truncate(strictPath, pathLen);
                struct = outer;
            }
            return obj;
        }

        private JsonNode map(MapOf m, JsonNode existing) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                save(typeError(kindOf(p.currentToken()), m.goType()));
                p.skipChildren();
                return existing;
            }
            ObjectNode obj = existing instanceof ObjectNode o ? o : NODES.objectNode();
            Set<String> seen = new HashSet<>();
            int pathLen = strictPath.size();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (!seen.add(key)) strict("duplicate", key);
                pushKey(key);
                // Each map value decodes into a fresh zero element, then replaces the entry.
                JsonNode v = value(m.value(), false, null);
                obj.set(key, v == null ? NullNode.instance : v);
                truncate(strictPath, pathLen);
            }
            return obj;
        }

        private JsonNode list(ListOf l, JsonNode existing) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                save(typeError(kindOf(p.currentToken()), l.goType()));
                p.skipChildren();
                return existing;
            }
            ArrayNode old = existing instanceof ArrayNode a ? a : null;
            ArrayNode out = NODES.arrayNode();
            int pathLen = strictPath.size();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                strictPath.add("[" + i + "]");
                // Go decodes into the existing element when a repeated key re-fills a slice.
                JsonNode prev = old != null && i < old.size() ? old.get(i) : null;
                JsonNode v = value(l.element(), false, prev);
                out.add(v == null ? NullNode.instance : v);
                truncate(strictPath, pathLen);
                i++;
            }
            return out;
        }

        private JsonNode scalar(Scalar s, JsonNode existing) throws IOException {
            JsonToken t = p.currentToken();
            switch (s.kind()) {
                case STRING -> {
                    if (t == JsonToken.VALUE_STRING) return NODES.textNode(p.getText());
                }
                case BOOL -> {
                    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
                }
                case INT32, INT64 -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        String text = p.getText();
                        try {
                            long n = Long.parseLong(text);
                            if (s.kind() == Schema.ScalarKind.INT32 && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                                throw new NumberFormatException();
                            }
                            return NODES.numberNode(n);
                        } catch (NumberFormatException e) {
                            save(typeError("number " + text, s.goType()));
                            return existing;
                        }
                    }
                }
                case BYTES -> {
                    return bytes(s, existing);
                }
                case TIME -> {
                    return time();
                }
            }
            save(typeError(kindOf(t), s.goType()));
            p.skipChildren();
            return existing;
        }

        /** {@code []byte}: a base64 string, or (Go allows it) an array of byte values. */
        private JsonNode bytes(Scalar s, JsonNode existing) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return NODES.textNode(GoBase64.encode(GoBase64.decode(p.getText())));
                } catch (GoBase64.CorruptInputException e) {
                    save(e.getMessage()); // Go saves the raw base64 error, without field context
                    return existing;
                }
            }
            if (t == JsonToken.START_ARRAY) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonToken e = p.currentToken();
                    if (e == JsonToken.VALUE_NUMBER_INT || e == JsonToken.VALUE_NUMBER_FLOAT) {
                        String text = p.getText();
                        try {
                            int b = Integer.parseInt(text);
                            if (b < 0 || b > 255) throw new NumberFormatException();
                            out.write(b);
                        } catch (NumberFormatException x) {
                            save(typeError("number " + text, "uint8"));
                            out.write(0);
                        }
                    } else if (e == JsonToken.VALUE_NULL) {
                        out.write(0);
                    } else {
                        save(typeError(kindOf(e), "uint8"));
                        p.skipChildren();
                        out.write(0);
                    }
                }
                return NODES.textNode(GoBase64.encode(out.toByteArray()));
            }
            save(typeError(kindOf(t), s.goType()));
            p.skipChildren();
            return existing;
        }

        /**
         * {@code metav1.Time.UnmarshalJSON}: it unmarshals a Go string and parses RFC 3339. Its errors are returned,
         * not saved, so they end decoding; a type error still gets the field context added at the top.
         */
        private JsonNode time() throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_STRING) {
                throw new Fatal(typeError(kindOf(t), "string"));
            }
            try {
                return NODES.textNode(GoTime.format(GoTime.parse(p.getText())));
            } catch (GoTime.ParseException e) {
                throw new Fatal(e.getMessage());
            }
        }

        private static void truncate(List<String> l, int len) {
            while (l.size() > len) l.remove(l.size() - 1);
        }
    }
}
