package dev.strongroom.scan.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any document, in YAML or JSON, the position reported for a field is where its key is
 * written and the position of a list item is where the item starts: what SARIF consumers
 * highlight must be the text the finding is about.
 */
class SourcePositionPropertiesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 150)
    void everyKeyIsFoundWhereItIsWrittenInYaml(@ForAll("documents") Map<String, Object> doc) throws Exception {
        String text = "# a comment first\n" + YAML.writeValueAsString(doc);
        checkAllKeys(text);
    }

    @Property(tries = 150)
    void everyKeyIsFoundWhereItIsWrittenInJson(@ForAll("documents") Map<String, Object> doc) throws Exception {
        checkAllKeys(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    }

    private static void checkAllKeys(String text) {
        LoadResult r = new DocumentLoader().load("t", text);
        assertThat(r.problems()).isEmpty();
        LoadedDocument doc = r.documents().get(0);
        String[] lines = text.split("\n", -1);
        walk(doc.root(), "", doc.sourceMap(), lines);
    }

    private static void walk(JsonNode node, String pointer, SourceMap map, String[] lines) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = pointer + "/" + SourceMap.escape(e.getKey());
                Position p = map.at(child);
                assertThat(p).as("position of %s", child).isNotNull();
                String rest = lines[p.line() - 1].substring(p.column() - 1);
                // The key starts here, bare or quoted.
                assertThat(rest.startsWith(e.getKey()) || rest.startsWith("\"" + e.getKey()) || rest.startsWith("'" + e.getKey()))
                        .as("%s at %s: %s", child, p, lines[p.line() - 1]).isTrue();
                walk(e.getValue(), child, map, lines);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = pointer + "/" + i;
                Position p = map.at(child);
                assertThat(p).as("position of %s", child).isNotNull();
                // An item starts after "- " in YAML or at its first character in JSON, never on blank space.
                assertThat(lines[p.line() - 1].charAt(p.column() - 1)).as("%s at %s", child, p).isNotEqualTo(' ');
                walk(node.get(i), child, map, lines);
            }
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> documents() {
        return value(3).map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("apiVersion", "v1");
            m.put("kind", "ConfigMap");
            m.put("data", v);
            return m;
        });
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.integers().between(-5, 5000).map(i -> (Object) i),
                Arbitraries.of(true, false).map(b -> (Object) b));
        if (depth == 0) return scalar;
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .map(k -> k + "-k"), value(depth - 1)).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
        Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(2, map), net.jqwik.api.Tuple.of(2, list));
    }

}
