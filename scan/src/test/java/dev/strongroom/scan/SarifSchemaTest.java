package dev.strongroom.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SARIF output validates against the OASIS SARIF 2.1.0 (errata 01) JSON schema, a draft-04 schema
 * (src/test/resources/sarif-schema-2.1.0.json, see the README there), with format assertions on,
 * and every result carries the same line and column the JSON report gives.
 */
class SarifSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in, config);
        }
    }

    private Path scanDirectory() throws IOException {
        Path k8s = Files.createDirectories(dir.resolve("k8s dir"));
        Files.writeString(k8s.resolve("pod.yaml"), TestScans.resource("seeds/000-pod-secret-env.yaml")
                .replace("  name: my-app-pod\n", "  name: my-app-pod\n  annotations:\n    strongroom.dev/ignore: SR-POD-004\n"));
        Files.writeString(k8s.resolve("leaky.yaml"), TestScans.resource("fixtures/leaky.yaml"));
        Files.writeString(k8s.resolve("audit.yaml"), TestScans.resource("rules/SR-AUD-001/failing.yaml"));
        Files.writeString(k8s.resolve("broken.yaml"), "apiVersion: v1\nkind: [\n");
        return k8s;
    }

    @Test
    void sarifOutputIsValidSarif210WithExactRegions() throws IOException {
        Path k8s = scanDirectory();
        JsonNode sarif = JSON.readTree(CommandRunner.run("--format", "sarif", k8s.toString()).out());
        Set<ValidationMessage> errors = schema.validate(sarif);
        assertThat(errors).as("schema violations").isEmpty();

        JsonNode results = sarif.at("/runs/0/results");
        JsonNode json = JSON.readTree(CommandRunner.run("--format", "json", k8s.toString()).out()).get("findings");
        assertThat(results.size()).isEqualTo(json.size()).isGreaterThan(20);
        for (int i = 0; i < results.size(); i++) {
            JsonNode region = results.get(i).at("/locations/0/physicalLocation/region");
            assertThat(region.get("startLine").asInt()).isEqualTo(json.get(i).at("/location/line").asInt());
            assertThat(region.get("startColumn").asInt()).isEqualTo(json.get(i).at("/location/column").asInt());
            assertThat(results.get(i).get("ruleId").asText()).isEqualTo(json.get(i).get("ruleId").asText());
        }
        // relative paths stay relative to %SRCROOT%, with spaces percent-encoded
        assertThat(results.get(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText()).contains("k8s%20dir/");
        // the suppressed finding is marked as such, with its reason
        assertThat(results.findValues("suppressions")).hasSize(1);
    }

    @Test
    void theValidatorRejectsABrokenLogSoThePassAboveMeansSomething() throws IOException {
        JsonNode sarif = JSON.readTree(CommandRunner.run("--format", "sarif", scanDirectory().toString()).out());
        ((ObjectNode) sarif.at("/runs/0/results/0/locations/0/physicalLocation/region")).put("startLine", 0);
        assertThat(schema.validate(sarif)).isNotEmpty();
        ((ObjectNode) sarif).put("version", "2.0.0");
        assertThat(schema.validate(sarif)).hasSizeGreaterThan(1);
    }
}
