package dev.strongroom.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.DecodeException;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.codec.ProtobufDecoder;
import dev.strongroom.api.codec.Schema;
import dev.strongroom.api.codec.StrictDecoding;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.MediaTypes;

import java.io.IOException;
import java.util.List;

/**
 * Turns request bodies into object trees: JSON, YAML and Kubernetes protobuf (kubectl 1.32+ sends protobuf for
 * every typed-client command). Decoding errors become 400 BadRequest Statuses with upstream's wording.
 */
public final class Bodies {
    private Bodies() {}

    /**
     * Decodes a create/update body of {@code def}'s kind as kube-apiserver's codecs do: Go's JSON rules, unknown and
     * duplicate fields reported for {@code fieldValidation} (not fatal here), fatal type and base64 errors as 400s.
     */
    public static StrictDecoding.Decoded decode(ApiRequest req, ResourceDef def) {
        String ct = MediaTypes.base(req.header("Content-Type"));
        byte[] body = req.body();
        if (body.length == 0) throw ApiException.badRequest("the body of the request was empty");
        Schema.Struct schema = KindSchemas.of(def.apiVersion(), def.kind());
        try {
            return switch (ct) {
                case "", MediaTypes.JSON -> StrictDecoding.decode(body, schema);
                case MediaTypes.YAML -> StrictDecoding.decode(parseYaml(body, def.kind(), def.version()), schema);
                case MediaTypes.PROTOBUF -> new StrictDecoding.Decoded(ProtobufDecoder.decode(body, def.apiVersion(), def.kind()), List.of());
                default -> throw ApiException.unsupportedMediaType(ct, List.of(MediaTypes.JSON, MediaTypes.YAML, MediaTypes.PROTOBUF));
            };
        } catch (DecodeException e) {
            throw cannotHandle(def.kind(), def.version(), e.getMessage());
        }
    }

    /** Decodes an object body for create/update. {@code kind} is the expected Kind, for messages. */
    public static ObjectNode decodeObject(ApiRequest req, String kind, String version) {
        String ct = MediaTypes.base(req.header("Content-Type"));
        byte[] body = req.body();
        if (body.length == 0) throw ApiException.badRequest("the body of the request was empty");
        JsonNode node;
        switch (ct) {
            case "", MediaTypes.JSON -> node = parseJson(body, kind, version);
            case MediaTypes.YAML -> node = parseYaml(body, kind, version);
            case MediaTypes.PROTOBUF -> node = decodeProtobuf(body, kind, version);
            default -> throw ApiException.unsupportedMediaType(ct,
                    List.of(MediaTypes.JSON, MediaTypes.YAML, MediaTypes.PROTOBUF));
        }
        if (!(node instanceof ObjectNode obj)) {
            throw cannotHandle(kind, version, "json: cannot unmarshal " + jsonType(node) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        return obj;
    }

    static ObjectNode decodeProtobuf(byte[] body, String kind, String version) {
        try {
            return ProtobufDecoder.decode(body);
        } catch (DecodeException e) {
            throw cannotHandle(kind, version, e.getMessage());
        }
    }

    public static JsonNode parseJson(byte[] body, String kind, String version) {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw cannotHandle(kind, version, jsonError(e));
        } catch (IOException e) {
            throw cannotHandle(kind, version, e.getMessage());
        }
    }

    static JsonNode parseYaml(byte[] body, String kind, String version) {
        try {
            return Json.YAML.readTree(body);
        } catch (IOException e) {
            throw cannotHandle(kind, version, "error converting YAML to JSON: " + e.getMessage().split("\n")[0]);
        }
    }

    /** A short message in the spirit of Go's json errors, with the offset, never the body. */
    static String jsonError(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg != null && msg.startsWith("Duplicate field")) {
            // Strict decoding reports duplicates as upstream: duplicate field "x"
            String f = msg.replaceAll("Duplicate field '([^']*)'.*", "$1");
            return "strict decoding error: duplicate field \"" + f + "\"";
        }
        long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
        String what = msg == null ? "malformed JSON" : msg.split("\n")[0];
        if (what.length() > 120) what = what.substring(0, 120);
        return "malformed JSON at offset " + offset + ": " + what.replaceAll("\\(code \\d+\\)", "").trim();
    }

    public static ApiException cannotHandle(String kind, String version, String why) {
        return ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": " + why);
    }

    private static String jsonType(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "object";
    }
}
