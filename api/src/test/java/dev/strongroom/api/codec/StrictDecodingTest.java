package dev.strongroom.api.codec;

import dev.strongroom.api.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictDecodingTest {

    private static final Schema.Struct SECRET = KindSchemas.of("v1", "Secret");
    private static final Schema.Struct ROLE = KindSchemas.of("rbac.authorization.k8s.io/v1", "Role");

    private static StrictDecoding.Decoded decode(String json, Schema.Struct schema) throws DecodeException {
        return StrictDecoding.decode(json.getBytes(StandardCharsets.UTF_8), schema);
    }

    @Test
    void unknownFieldsAsUpstreamPrintsThemInDocumentOrder() throws Exception {
        StrictDecoding.Decoded d = decode("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"spec\":{\"x\":1},"
                + "\"metadata\":{\"name\":\"s\",\"labelz\":{\"a\":\"b\"}},\"type\":\"Opaque\"}", SECRET);
        assertThat(d.strictErrors()).containsExactly("unknown field \"spec\"", "unknown field \"metadata.labelz\"");
        assertThat(StrictDecoding.strictErrorMessage(d.strictErrors()))
                .isEqualTo("strict decoding error: unknown field \"spec\", unknown field \"metadata.labelz\"");
        // The Ignore behaviour: the same object without the unknown fields.
        assertThat(Json.string(d.object())).isEqualTo(
                "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\",\"creationTimestamp\":null},\"type\":\"Opaque\"}");
    }

    @Test
    void pathsThroughListsUseIndices() throws Exception {
        StrictDecoding.Decoded d = decode("{\"rules\":[{\"verbs\":[\"get\"]},{\"verbs\":[\"list\"],\"verb\":\"x\","
                + "\"apiGroups\":[\"\"],\"resource\":[\"secrets\"]}],\"metadata\":{\"ownerReferences\":[{\"uid\":\"u\",\"extra\":1}]}}", ROLE);
        assertThat(d.strictErrors()).containsExactly("unknown field \"rules[1].verb\"", "unknown field \"rules[1].resource\"",
                "unknown field \"metadata.ownerReferences[0].extra\"");
    }

    @Test
    void fieldNamesAreCaseSensitive() throws Exception {
        assertThat(decode("{\"Metadata\":{},\"metadata\":{\"Name\":\"x\"}}", SECRET).strictErrors())
                .containsExactly("unknown field \"Metadata\"", "unknown field \"metadata.Name\"");
    }

    @Test
    void duplicatesAreReportedAndDecodedAsGoDoes() throws Exception {
        StrictDecoding.Decoded d = decode("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"YQ==\",\"k\":\"Yg==\"},"
                + "\"metadata\":{\"namespace\":\"ns\"},\"kind\":\"Secret\",\"spec\":1,\"spec\":2}", SECRET);
        assertThat(d.strictErrors()).containsExactly("duplicate field \"data.k\"", "duplicate field \"metadata\"",
                "duplicate field \"kind\"", "unknown field \"spec\"");
        // A repeated struct key decodes into the same struct (name kept, namespace added); map entries are replaced.
        assertThat(Json.string(d.object())).isEqualTo("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\","
                + "\"creationTimestamp\":null},\"data\":{\"k\":\"Yg==\"}}");
    }

    @Test
    void exactBodiesHaveNoStrictErrors() throws Exception {
        // kubectl 1.31's create secret body.
        StrictDecoding.Decoded d = decode("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s1\",\"creationTimestamp\":null},"
                + "\"data\":{\"cfg\":\"ZmlsZS1jb250ZW50\",\"user\":\"YWRtaW4=\"}}", SECRET);
        assertThat(d.strictErrors()).isEmpty();
    }

    /** Transcript 73: the 400 a real kube-apiserver answered. */
    @Test
    void badBase64() {
        assertThatThrownBy(() -> decode("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"Bad_Name\"},"
                + "\"data\":{\"a\":\"not base64!\"}}", SECRET))
                .isInstanceOf(DecodeException.class).hasMessage("illegal base64 data at input byte 3");
    }

    @Test
    void base64ToleratesLineBreaksAndIsReencoded() throws Exception {
        assertThat(Json.string(decode("{\"data\":{\"a\":\"YW\\r\\nJj\",\"b\":\"\",\"c\":null}}", SECRET).object()))
                .isEqualTo("{\"metadata\":{\"creationTimestamp\":null},\"data\":{\"a\":\"YWJj\",\"b\":\"\",\"c\":null}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"data\":{\"a\":5}}                       | json: cannot unmarshal number into Go struct field Secret.data of type []uint8",
            "{\"data\":[]}                              | json: cannot unmarshal array into Go struct field Secret.data of type map[string][]uint8",
            "{\"metadata\":{\"labels\":{\"a\":1}}}      | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
            "{\"metadata\":{\"generation\":\"5\"}}      | json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64",
            "{\"metadata\":{\"generation\":1.5}}        | json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.metadata.generation of type int64",
            "{\"metadata\":{\"name\":true}}             | json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.name of type string",
            "{\"metadata\":{\"uid\":{}}}                | json: cannot unmarshal object into Go struct field ObjectMeta.metadata.uid of type types.UID",
            "{\"metadata\":\"x\"}                        | json: cannot unmarshal string into Go struct field Secret.metadata of type v1.ObjectMeta",
            "{\"immutable\":\"yes\"}                     | json: cannot unmarshal string into Go struct field Secret.immutable of type bool",
            "{\"type\":1}                               | json: cannot unmarshal number into Go struct field Secret.type of type v1.SecretType",
            "{\"kind\":1}                               | json: cannot unmarshal number into Go struct field Secret.kind of type string",
            "{\"metadata\":{\"ownerReferences\":[{\"controller\":\"yes\"}]}} | json: cannot unmarshal string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool",
            "{\"metadata\":{\"finalizers\":\"f\"}}      | json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string",
            "[]                                         | json: cannot unmarshal array into Go value of type v1.Secret",
            "{\"metadata\":{\"creationTimestamp\":5}}   | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
            "{\"metadata\":{\"creationTimestamp\":\"yesterday\"}} | parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"",
    })
    void typeErrorsWithGoWording(String json, String message) {
        assertThatThrownBy(() -> decode(json, SECRET)).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    @Test
    void typeErrorsInsideLists() {
        assertThatThrownBy(() -> decode("{\"rules\":[{\"verbs\":\"get\"}]}", ROLE))
                .hasMessage("json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string");
        assertThatThrownBy(() -> decode("{\"rules\":[{\"verbs\":[1]}]}", ROLE))
                .hasMessage("json: cannot unmarshal number into Go struct field PolicyRule.rules.verbs of type string");
        assertThatThrownBy(() -> decode("{\"rules\":{}}", ROLE))
                .hasMessage("json: cannot unmarshal object into Go struct field Role.rules of type []v1.PolicyRule");
    }

    @Test
    void firstSavedErrorWinsButATimeErrorEndsDecodingAndWins() {
        assertThatThrownBy(() -> decode("{\"data\":{\"a\":5},\"type\":1}", SECRET))
                .hasMessage("json: cannot unmarshal number into Go struct field Secret.data of type []uint8");
        assertThatThrownBy(() -> decode("{\"data\":{\"a\":5},\"metadata\":{\"creationTimestamp\":\"x\"}}", SECRET))
                .hasMessageStartingWith("parsing time \"x\"");
    }

    @Test
    void typeErrorsHideStrictErrors() {
        assertThatThrownBy(() -> decode("{\"spec\":1,\"data\":{\"a\":\"!\"}}", SECRET))
                .hasMessage("illegal base64 data at input byte 0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                 | unexpected end of JSON input",
            "{                  | unexpected end of JSON input",
            "{\"a\":}           | invalid character '}' looking for beginning of value",
            "{\"a\" 1}          | invalid character '1' after object key",
            "{\"a\":1 \"b\":2}  | invalid character '\"' after object key:value pair",
            "{,}                | invalid character ',' looking for beginning of object key string",
            "[1,]               | invalid character ']' looking for beginning of value",
            "[1 2]              | invalid character '2' after array element",
            "{} x               | invalid character 'x' after top-level value",
            "trux               | invalid character 'x' in literal true (expecting 'e')",
            "nul                | unexpected end of JSON input",
            "-x                 | invalid character 'x' in numeric literal",
            "1.e5               | invalid character 'e' after decimal point in numeric literal",
            "1e+                | unexpected end of JSON input",
            "\"a\\qb\"          | invalid character 'q' in string escape code",
            "\"\\u12G4\"        | invalid character 'G' in \\u hexadecimal character escape",
            "{'a':1}            | invalid character '\\'' looking for beginning of object key string",
            "01                 | invalid character '1' after top-level value",
    })
    void syntaxErrorsWithGoWording(String json, String message) {
        assertThatThrownBy(() -> decode(json, SECRET)).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    @Test
    void controlCharactersInStrings() {
        assertThatThrownBy(() -> decode("{\"a\":\"x\ty\"}", SECRET)).hasMessage("invalid character '\\t' in string literal");
    }

    @Test
    void nullsMeanUnsetAndTheResultIsCanonical() throws Exception {
        StrictDecoding.Decoded d = decode("{\"type\":\"\",\"data\":{\"b\":\"Yg==\",\"a\":\"YQ==\"},\"immutable\":null,"
                + "\"metadata\":{\"labels\":{},\"name\":\"x\",\"creationTimestamp\":\"2026-11-22T18:38:15+02:00\",\"generation\":0},"
                + "\"stringData\":null,\"apiVersion\":\"v1\",\"kind\":\"Secret\"}", SECRET);
        assertThat(Json.string(d.object())).isEqualTo("{\"kind\":\"Secret\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"x\",\"creationTimestamp\":\"2026-11-22T16:38:15Z\"},\"data\":{\"a\":\"YQ==\",\"b\":\"Yg==\"}}");
    }

    /** kubectl 1.31 sends this JSON for `create token`; it must equal the protobuf decoding of 1.32's body. */
    @Test
    void tokenRequestJsonAndProtobufAgree() throws Exception {
        Schema.Struct tr = KindSchemas.of("authentication.k8s.io/v1", "TokenRequest");
        StrictDecoding.Decoded d = decode("{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\","
                + "\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"audiences\":null,\"expirationSeconds\":null,"
                + "\"boundObjectRef\":null},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}", tr);
        assertThat(d.strictErrors()).isEmpty();
        assertThat(Json.string(d.object())).isEqualTo("{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\","
                + "\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"audiences\":null,\"expirationSeconds\":null,"
                + "\"boundObjectRef\":null},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}");
    }

    @Test
    void treesDecodeToo() throws Exception {
        StrictDecoding.Decoded d = StrictDecoding.decode(Json.parse("{\"metadata\":{\"labelz\":{}}}".getBytes(StandardCharsets.UTF_8)), SECRET);
        assertThat(d.strictErrors()).isEqualTo(List.of("unknown field \"metadata.labelz\""));
    }

    @Test
    void freeFormManagedFieldsAreKeptVerbatim() throws Exception {
        String mf = "[{\"manager\":\"m\",\"operation\":\"Update\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:x\":{}},\"odd\":[1]}}]";
        StrictDecoding.Decoded d = decode("{\"metadata\":{\"managedFields\":" + mf + "}}", SECRET);
        assertThat(d.strictErrors()).isEmpty();
        assertThat(Json.string(d.object().get("metadata").get("managedFields"))).isEqualTo(mf);
    }
}
