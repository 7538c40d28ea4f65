package dev.strongroom.server.registry;

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
        return decode(req, def.apiVersion(), def.kind());
    }

    /** The same for a kind that is not a stored resource (e.g. {@code authentication.k8s.io/v1 TokenRequest}). */
    public static StrictDecoding.Decoded decode(ApiRequest req, String apiVersion, String kind) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String ct = MediaTypes.base(req.header("Content-Type"));
        byte[] body = req.body();
        if (body.length == 0) throw ApiException.badRequest("the body of the request was empty");
        Schema.Struct schema = KindSchemas.of(apiVersion, kind);
        try {
            return switch (ct) {
                case "", MediaTypes.JSON -> StrictDecoding.decode(body, schema);
                case MediaTypes.YAML -> StrictDecoding.decode(parseYaml(body, kind, version), schema);
                case MediaTypes.PROTOBUF -> new StrictDecoding.Decoded(ProtobufDecoder.decode(body, apiVersion, kind), List.of());
                default -> throw ApiException.unsupportedMediaType(ct, List.of(MediaTypes.JSON, MediaTypes.YAML, MediaTypes.PROTOBUF));
            };
        } catch (DecodeException e) {
            throw cannotHandle(kind, version, e.getMessage());
        }
    }

    static ObjectNode decodeProtobuf(byte[] body, String kind, String version) {
        try {
            return ProtobufDecoder.decode(body);
        } catch (DecodeException e) {
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

    public static ApiException cannotHandle(String kind, String version, String why) {
        return ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": " + why);
    }

}
