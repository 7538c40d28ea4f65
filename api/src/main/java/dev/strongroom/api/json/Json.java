package dev.strongroom.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the project. Kubernetes objects are handled as Jackson trees: the server serves
 * many kinds generically, and strict decoding, patches and managed fields all work on trees.
 */
public final class Json {
    private Json() {}

    /** Rejects duplicate keys at parse time, as apimachinery's strict decoder does. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static final YAMLMapper YAML = new YAMLMapper();

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public static ObjectNode object() { return NODES.objectNode(); }

    public static JsonNode parse(byte[] bytes) throws IOException {
        try (JsonParser p = MAPPER.createParser(bytes)) {
            JsonNode n = MAPPER.readTree(p);
            if (p.nextToken() != null) throw new IOException("unexpected data after the top-level value");
            return n;
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
