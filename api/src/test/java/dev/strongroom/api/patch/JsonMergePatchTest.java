package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonMergePatchTest {

    static JsonNode json(String s) throws Exception {
        return Json.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 7386 Appendix A, every case whose patch is an object or array. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}                       | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}                       | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}                        | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                        | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                       | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                     | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}}    | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                         | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]                       | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                             | [\"c\"]",
            "{\"e\":null}                 | {\"a\":1}                           | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}            | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}}     | {\"a\":{\"bb\":{}}}",
    })
    void rfc7386AppendixA(String target, String patch, String result) throws Exception {
        assertThat(JsonMergePatch.apply(json(target), json(patch))).isEqualTo(json(result));
    }

    /** RFC 7386 says null and "bar" replace the document; the library kube-apiserver uses rejects them. */
    @Test
    void nonObjectPatchesAreRejectedAsUpstreamDoes() {
        assertThatThrownBy(() -> JsonMergePatch.apply(json("{\"a\":\"foo\"}"), json("null")))
                .isInstanceOf(PatchException.class).hasMessage("Invalid JSON Patch")
                .extracting(e -> ((PatchException) e).code()).isEqualTo(400);
        assertThatThrownBy(() -> JsonMergePatch.apply(json("{\"a\":\"foo\"}"), json("\"bar\"")))
                .hasMessage("Invalid JSON Patch");
    }

    @Test
    void kubectlLabelAndAnnotateBodies() throws Exception {
        JsonNode secret = json("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\",\"labels\":{\"app\":\"demo\"}},\"data\":{\"a\":\"Yg==\"}}");
        JsonNode labelled = JsonMergePatch.apply(secret, json("{\"metadata\":{\"labels\":{\"env\":\"prod\"}}}"));
        assertThat(labelled.at("/metadata/labels")).isEqualTo(json("{\"app\":\"demo\",\"env\":\"prod\"}"));
        JsonNode unlabelled = JsonMergePatch.apply(labelled, json("{\"metadata\":{\"labels\":{\"env\":null}}}"));
        assertThat(unlabelled.at("/metadata/labels")).isEqualTo(json("{\"app\":\"demo\"}"));
        JsonNode annotated = JsonMergePatch.apply(unlabelled, json("{\"metadata\":{\"annotations\":{\"note\":\"hello\"}}}"));
        assertThat(annotated.at("/metadata/annotations")).isEqualTo(json("{\"note\":\"hello\"}"));
        assertThat(secret.at("/metadata/labels").size()).as("input untouched").isEqualTo(1);
    }

    @Test
    void nullsInsideReplacedArraysAreKept() throws Exception {
        assertThat(JsonMergePatch.apply(json("{}"), json("{\"a\":[null,{\"b\":null,\"c\":1}]}")))
                .isEqualTo(json("{\"a\":[null,{\"c\":1}]}"));
    }
}
