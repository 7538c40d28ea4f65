package dev.strongroom.scan.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.ObjectExtractor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact positions are what make SARIF results clickable; malformed input must not stop a scan. */
class DocumentLoaderTest {
    private final DocumentLoader loader = new DocumentLoader();

    @Test
    void yamlKeysAndItemsHaveExactLineAndColumnAcrossDocuments() {
        String text = """
                # leading comment
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: b
                spec:
                  containers:
                    - name: c
                      image: x
                """;
        LoadResult r = loader.load("f.yaml", text);
        assertThat(r.problems()).isEmpty();
        assertThat(r.documents()).hasSize(2);
        SourceMap second = r.documents().get(1).sourceMap();
        assertThat(second.at("/kind")).isEqualTo(new Position(7, 1));
        assertThat(second.at("/metadata/name")).isEqualTo(new Position(9, 3));
        assertThat(second.at("/spec/containers/0")).isEqualTo(new Position(12, 7));
        assertThat(second.at("/spec/containers/0/image")).isEqualTo(new Position(13, 7));
        // an absent field falls back to its nearest existing ancestor
        assertThat(second.nearest("/spec/containers/0/securityContext/privileged")).isEqualTo(new Position(12, 7));
        assertThat(r.documents().get(0).sourceMap().at("/metadata/name")).isEqualTo(new Position(4, 12));
    }

    @Test
    void aMalformedDocumentIsReportedWithItsLineAndTheOthersStillLoad() {
        String text = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ok1}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: broken
                 data: x
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ok2}
                """;
        LoadResult r = loader.load("f.yaml", text);
        assertThat(r.documents()).extracting(d -> d.root().path("metadata").path("name").asText()).containsExactly("ok1", "ok2");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo("f.yaml");
            assertThat(p.position().line()).isEqualTo(9);
            assertThat(p.message()).startsWith("invalid YAML");
        });
        assertThat(r.documents().get(1).sourceMap().at("/metadata")).isEqualTo(new Position(13, 1));
    }

    @Test
    void unrenderedTemplatesGetAHint() {
        LoadResult r = loader.load("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n  labels: {{- include \"x\" . }}\n");
        assertThat(r.problems()).singleElement().extracting(ParseProblem::message).asString().contains("helm template");
    }

    @Test
    void jsonPositionsAreExactToo() {
        String json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"},\n  \"spec\": {\"containers\": [\n    {\"name\": \"c\", \"image\": \"x\"}]}\n}\n";
        LoadResult r = loader.load("p.json", json);
        assertThat(r.problems()).isEmpty();
        SourceMap map = r.documents().get(0).sourceMap();
        assertThat(map.at("/kind")).isEqualTo(new Position(3, 3));
        assertThat(map.at("/spec/containers/0")).isEqualTo(new Position(6, 5));
        assertThat(map.at("/spec/containers/0/image")).isEqualTo(new Position(6, 19));
    }

    @Test
    void malformedJsonIsReportedWithItsPosition() {
        LoadResult r = loader.load("p.json", "{\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"]\n}\n");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(3);
            assertThat(p.message()).startsWith("invalid JSON");
        });
    }

    @Test
    void listKindsAreExpandedWithPositionsOfEachItem() {
        String text = """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ServiceAccount
                    metadata: {name: a, namespace: x}
                  - apiVersion: v1
                    kind: ServiceAccount
                    metadata: {name: b, namespace: x}
                """;
        LoadedDocument doc = loader.load("l.yaml", text).documents().get(0);
        List<KubeObject> objects = ObjectExtractor.extractAll(doc, false);
        assertThat(objects).extracting(KubeObject::name).containsExactly("a", "b");
        assertThat(objects.get(1).position("/metadata")).isEqualTo(new Position(9, 5));
    }

    @Test
    void anchorsAliasesAndMergeKeysResolve() {
        String text = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - &base
                      name: a
                      image: img:1
                      securityContext: {privileged: false}
                    - <<: *base
                      name: b
                """;
        LoadedDocument doc = loader.load("a.yaml", text).documents().get(0);
        assertThat(doc.root().at("/spec/containers/1/name").asText()).isEqualTo("b");
        assertThat(doc.root().at("/spec/containers/1/image").asText()).isEqualTo("img:1");
        assertThat(doc.root().at("/spec/containers/1/securityContext/privileged").isBoolean()).isTrue();
    }

    @Test
    void scalarsGetYamlTypesSoRulesSeeBooleansAndNumbers() {
        LoadedDocument doc = loader.load("t.yaml", "a: true\nb: 0\nc: \"true\"\nd: ~\ne: 1.5\n").documents().get(0);
        assertThat(doc.root().get("a").isBoolean()).isTrue();
        assertThat(doc.root().get("b").isIntegralNumber()).isTrue();
        assertThat(doc.root().get("c").isTextual()).isTrue();
        assertThat(doc.root().get("d").isNull()).isTrue();
        assertThat(doc.root().get("e").isDouble()).isTrue();
    }

    @Test
    void flagsFilesBecomeAnApiServerObjectWithPositions() {
        String unit = "[Service]\nExecStart=/usr/local/bin/kube-apiserver \\\n  --anonymous-auth=true \\\n  --authorization-mode=Node,RBAC\n";
        assertThat(FlagsFileLoader.looksLikeFlags(unit)).isTrue();
        LoadedDocument doc = FlagsFileLoader.load("kube-apiserver.service", unit);
        assertThat(doc.root().path("args")).extracting(n -> n.asText()).containsExactly("--anonymous-auth=true", "--authorization-mode=Node,RBAC");
        assertThat(doc.sourceMap().at("/args/0")).isEqualTo(new Position(3, 3));
        assertThat(doc.sourceMap().at("/args/1")).isEqualTo(new Position(4, 3));
    }
}
