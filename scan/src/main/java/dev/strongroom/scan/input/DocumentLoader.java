package dev.strongroom.scan.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses YAML (multi-document) and JSON text into Jackson trees plus a {@link SourceMap}.
 *
 * <p>YAML goes through SnakeYAML's composer rather than Jackson's YAML parser because composed
 * nodes carry exact start marks for keys and items and resolve anchors and aliases. JSON goes
 * through Jackson's streaming parser, which reports the location of every token.
 */
public final class DocumentLoader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory JSON = new JsonFactory();

    // Building a Yaml instance is costly (constructor and resolver tables); one loader reuses one.
    // Neither is thread-safe: use one DocumentLoader per thread.
    private final Yaml yaml = newYaml();

    public LoadResult load(String origin, String text) {
        String stripped = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String head = stripped.stripLeading();
        if (head.startsWith("{") || head.startsWith("[")) {
            LoadResult json = loadJson(origin, stripped);
            if (json.problems().isEmpty()) return json;
            // Flow-style YAML also starts with '{'; give YAML a chance before reporting JSON errors.
            LoadResult yaml = loadYaml(origin, stripped);
            return yaml.problems().isEmpty() ? yaml : json;
        }
        return loadYaml(origin, stripped);
    }

    // ---- YAML ---------------------------------------------------------------------------------

    private LoadResult loadYaml(String origin, String text) {
        LoadResult result = new LoadResult();
        for (YamlDocuments.Chunk chunk : YamlDocuments.split(text)) {
            try {
                Node node = yaml.compose(new StringReader(chunk.text()));
                if (node == null) continue;
                JsonNode root = new YamlConverter().convert(node);
                result.documents().add(new LoadedDocument(origin, root, new YamlSourceMap(node, chunk.firstLine()),
                        position(node.getStartMark(), chunk.firstLine())));
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                Position pos = mark == null ? new Position(chunk.firstLine() + 1, 1) : position(mark, chunk.firstLine());
                String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
                result.problems().add(new ParseProblem(origin, pos, "invalid YAML: " + firstLine(problem) + hint(chunk.text())));
            } catch (RuntimeException e) {
                // SnakeYAML signals limits (alias bombs, huge documents) with other runtime exceptions.
                result.problems().add(new ParseProblem(origin, new Position(chunk.firstLine() + 1, 1),
                        "invalid YAML: " + firstLine(String.valueOf(e.getMessage()))));
            }
        }
        return result;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        options.setMaxAliasesForCollections(200); // stops "billion laughs" documents
        options.setAllowDuplicateKeys(true);       // kubectl accepts them too (last one wins)
        return new Yaml(options);
    }

    private static String hint(String text) {
        return text.contains("{{") ? " (this looks like an unrendered template: scan `helm template` output instead)" : "";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Position position(Mark mark, int lineOffset) {
        return new Position(mark.getLine() + lineOffset + 1, mark.getColumn() + 1);
    }

    /** Converts composed SnakeYAML nodes to Jackson nodes (positions stay with the SnakeYAML nodes). */
    private static final class YamlConverter {
        // An alias may point at a node that contains it; guard against infinite recursion.
        private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

        JsonNode convert(Node node) {
            if (node instanceof ScalarNode scalar) return scalar(scalar);
            if (inProgress.containsKey(node)) return NODES.nullNode();
            inProgress.put(node, Boolean.TRUE);
            try {
                if (node instanceof MappingNode mapping) return mapping(mapping);
                ArrayNode array = NODES.arrayNode();
                for (Node item : ((SequenceNode) node).getValue()) array.add(convert(item));
                return array;
            } finally {
                inProgress.remove(node);
            }
        }

        private ObjectNode mapping(MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                Node key = tuple.getKeyNode();
                if (key.getTag().equals(Tag.MERGE)) {
                    merge(object, tuple.getValueNode());
                    continue;
                }
                String name = key instanceof ScalarNode s ? s.getValue() : String.valueOf(key.getStartMark());
                object.set(name, convert(tuple.getValueNode()));
            }
            return object;
        }

        /** YAML merge keys ({@code <<: *defaults}): explicit keys win over merged ones. */
        private void merge(ObjectNode target, Node source) {
            if (source instanceof SequenceNode seq) {
                for (Node n : seq.getValue()) merge(target, n);
            } else if (source instanceof MappingNode m) {
                mapping(m).properties().forEach(e -> {
                    if (!target.has(e.getKey())) target.set(e.getKey(), e.getValue());
                });
            }
        }

        private static JsonNode scalar(ScalarNode scalar) {
            String v = scalar.getValue();
            Tag tag = scalar.getTag();
            try {
                if (Tag.NULL.equals(tag)) return NODES.nullNode();
                if (Tag.BOOL.equals(tag)) {
                    String b = v.toLowerCase(Locale.ROOT);
                    return NODES.booleanNode(b.equals("true") || b.equals("yes") || b.equals("on") || b.equals("y"));
                }
                if (Tag.INT.equals(tag)) return integer(v);
                if (Tag.FLOAT.equals(tag)) return NODES.numberNode(Double.parseDouble(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return NODES.textNode(v);
            }
            return NODES.textNode(v);
        }

        private static JsonNode integer(String raw) {
            String v = raw.replace("_", "");
            boolean negative = v.startsWith("-");
            String digits = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
            BigInteger n;
            if (digits.startsWith("0x")) n = new BigInteger(digits.substring(2), 16);
            else if (digits.startsWith("0o")) n = new BigInteger(digits.substring(2), 8);
            else if (digits.length() > 1 && digits.startsWith("0")) n = new BigInteger(digits, 8);
            else n = new BigInteger(digits);
            if (negative) n = n.negate();
            return n.bitLength() < 63 ? NODES.numberNode(n.longValue()) : NODES.numberNode(n);
        }
    }

    // ---- JSON ---------------------------------------------------------------------------------

    private LoadResult loadJson(String origin, String text) {
        LoadResult result = new LoadResult();
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            while (first != null) {
                SourceMap.Recorded map = new SourceMap.Recorded();
                Position start = position(parser.currentTokenLocation());
                JsonNode root = readJson(parser, map, "");
                result.documents().add(new LoadedDocument(origin, root, map, start));
                first = parser.nextToken(); // a stream of objects (kubectl get -w -o json) is allowed
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            Position pos = loc == null ? Position.START : position(loc);
            result.problems().add(new ParseProblem(origin, pos, "invalid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            result.problems().add(new ParseProblem(origin, Position.START, "invalid JSON: " + e.getMessage()));
        }
        return result;
    }

    private static JsonNode readJson(JsonParser parser, SourceMap.Recorded map, String pointer) throws IOException {
        map.put(pointer, position(parser.currentTokenLocation()));
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String child = pointer + "/" + SourceMap.escape(name);
                    map.put(child, position(parser.currentTokenLocation()));
                    parser.nextToken();
                    object.set(name, readJson(parser, map, child));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readJson(parser, map, pointer + "/" + i++));
                }
                return array;
            }
            case VALUE_STRING -> { return NODES.textNode(parser.getText()); }
            case VALUE_NUMBER_INT -> {
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? NODES.numberNode(parser.getBigIntegerValue()) : NODES.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> { return NODES.numberNode(parser.getDecimalValue()); }
            case VALUE_TRUE -> { return NODES.booleanNode(true); }
            case VALUE_FALSE -> { return NODES.booleanNode(false); }
            default -> { return NODES.nullNode(); }
        }
    }

    private static Position position(JsonLocation loc) {
        return new Position(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }
}
