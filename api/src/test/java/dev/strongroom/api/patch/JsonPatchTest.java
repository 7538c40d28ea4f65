package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.strongroom.api.patch.JsonMergePatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPatchTest {

    /** RFC 6902 Appendix A (the successful examples). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}] | {\"baz\":\"qux\",\"foo\":\"bar\"}",
            "{\"foo\":[\"bar\",\"baz\"]} | [{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}] | {\"foo\":[\"bar\",\"qux\",\"baz\"]}",
            "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"remove\",\"path\":\"/baz\"}] | {\"foo\":\"bar\"}",
            "{\"foo\":[\"bar\",\"qux\",\"baz\"]} | [{\"op\":\"remove\",\"path\":\"/foo/1\"}] | {\"foo\":[\"bar\",\"baz\"]}",
            "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}] | {\"baz\":\"boo\",\"foo\":\"bar\"}",
            "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}} | [{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}] | {\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
            "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]} | [{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}] | {\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}",
            "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]} | [{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}] | {\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
            "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}] | {\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}",
            "{\"foo\":[\"bar\"]} | [{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}] | {\"foo\":[\"bar\",[\"abc\",\"def\"]]}",
            "{\"/\":9,\"~1\":10} | [{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}] | {\"/\":9,\"~1\":10}",
            "{\"foo\":1} | [{\"op\":\"copy\",\"from\":\"/foo\",\"path\":\"/bar\"}] | {\"foo\":1,\"bar\":1}",
    })
    void rfc6902AppendixA(String doc, String patch, String result) throws Exception {
        assertThat(JsonPatch.apply(json(doc), json(patch))).isEqualTo(json(result));
    }

    /** What kubectl sends to migrate client-side-apply ownership to server-side apply. */
    @Test
    void kubectlManagedFieldsMigration() throws Exception {
        JsonNode live = json("{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"110\",\"managedFields\":[{\"manager\":\"a\"}]}}");
        JsonNode out = JsonPatch.apply(live, json("[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[{\"manager\":\"kubectl\"}]},"
                + "{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"110\"}]"));
        assertThat(out.at("/metadata/managedFields")).isEqualTo(json("[{\"manager\":\"kubectl\"}]"));
        assertThat(live.at("/metadata/managedFields/0/manager").asText()).as("input untouched").isEqualTo("a");
    }

    /** Failures, with evanphx/json-patch's messages. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"baz\":\"qux\"} | [{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}] | testing value /baz failed: test failed",
            "{\"a\":{}} | [{\"op\":\"test\",\"path\":\"/a/b\",\"value\":1}] | testing value /a/b failed: test failed",
            "{} | [{\"op\":\"test\",\"path\":\"/a/b\",\"value\":1}] | test operation does not apply: is missing path: /a/b: missing value",
            "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}] | add operation does not apply: doc is missing path: \"/baz/bat\": missing value",
            "{\"foo\":\"bar\"} | [{\"op\":\"remove\",\"path\":\"/baz\"}] | error in remove for path: '/baz': Unable to remove nonexistent key: baz: missing value",
            "{\"foo\":[1]} | [{\"op\":\"remove\",\"path\":\"/foo/3\"}] | error in remove for path: '/foo/3': Unable to access invalid index: 3: invalid index referenced",
            "{\"foo\":[1]} | [{\"op\":\"add\",\"path\":\"/foo/5\",\"value\":2}] | error in add for path: '/foo/5': Unable to access invalid index: 5: invalid index referenced",
            "{\"foo\":[1]} | [{\"op\":\"add\",\"path\":\"/foo/x\",\"value\":2}] | error in add for path: '/foo/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax",
            "{\"foo\":[1]} | [{\"op\":\"replace\",\"path\":\"/foo/1\",\"value\":2}] | replace operation does not apply: doc is missing key: /foo/1: missing value",
            "{} | [{\"op\":\"replace\",\"path\":\"/a/b\",\"value\":2}] | replace operation does not apply: doc is missing path: /a/b: missing value",
            "{} | [{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}] | error in move for path: 'a': Unable to remove nonexistent key: a: missing value",
            "{} | [{\"op\":\"copy\",\"from\":\"/a/b\",\"path\":\"/b\"}] | copy operation does not apply: doc is missing from path: /a/b: missing value",
            "{} | [{\"op\":\"frobnicate\",\"path\":\"/a\"}] | Unexpected kind: frobnicate",
            "{} | [{\"path\":\"/a\"}] | Unexpected kind: unknown",
            "{} | [{\"op\":\"add\",\"value\":1}] | add operation failed to decode path: missing value",
            "{} | [{\"op\":\"replace\",\"value\":1}] | replace operation failed to decode path: operation missing path field: missing value",
            "{} | [{\"op\":\"move\",\"path\":\"/a\"}] | move operation failed to decode from: operation, missing from field: missing value",
            "{} | [{\"op\":\"add\",\"path\":\"\",\"value\":1}] | add operation does not apply: doc is missing path: \"\": missing value",
    })
    void failuresAre422WithUpstreamMessages(String doc, String patch, String message) {
        assertThatThrownBy(() -> JsonPatch.apply(json(doc), json(patch)))
                .isInstanceOf(PatchException.class).hasMessage(message)
                .satisfies(e -> {
                    assertThat(((PatchException) e).code()).isEqualTo(422);
                    assertThat(((PatchException) e).statusMessage()).isEqualTo(PatchException.GENERIC_422);
                });
    }

    @Test
    void atomicity() throws Exception {
        JsonNode doc = json("{\"a\":1}");
        assertThatThrownBy(() -> JsonPatch.apply(doc, json("[{\"op\":\"add\",\"path\":\"/b\",\"value\":2},"
                + "{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]"))).hasMessage("testing value /a failed: test failed");
        assertThat(doc).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void upstreamQuirksKept() throws Exception {
        // replace of a missing member adds it
        assertThat(JsonPatch.apply(json("{}"), json("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"))).isEqualTo(json("{\"a\":1}"));
        // negative indices count from the end
        assertThat(JsonPatch.apply(json("{\"l\":[1,2,3]}"), json("[{\"op\":\"remove\",\"path\":\"/l/-1\"}]"))).isEqualTo(json("{\"l\":[1,2]}"));
        assertThat(JsonPatch.apply(json("{\"l\":[1,2,3]}"), json("[{\"op\":\"replace\",\"path\":\"/l/-3\",\"value\":0}]"))).isEqualTo(json("{\"l\":[0,2,3]}"));
        // copy from a missing member copies null
        assertThat(JsonPatch.apply(json("{}"), json("[{\"op\":\"copy\",\"from\":\"/x\",\"path\":\"/y\"}]"))).isEqualTo(json("{\"y\":null}"));
        // a missing member passes a test for null
        assertThat(JsonPatch.apply(json("{}"), json("[{\"op\":\"test\",\"path\":\"/x\",\"value\":null}]"))).isEqualTo(json("{}"));
        // numbers compare by their text: 1 is not 1.0
        assertThatThrownBy(() -> JsonPatch.apply(json("{\"n\":1}"), json("[{\"op\":\"test\",\"path\":\"/n\",\"value\":1.0}]")))
                .hasMessage("testing value /n failed: test failed");
        // replacing the whole document
        assertThat(JsonPatch.apply(json("{\"a\":1}"), json("[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"b\":2}}]"))).isEqualTo(json("{\"b\":2}"));
    }

    @Test
    void malformedPatchesAre400() {
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("{\"op\":\"add\"}")))
                .hasMessage("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
                .extracting(e -> ((PatchException) e).code()).isEqualTo(400);
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[\"add\"]")))
                .hasMessage("json: cannot unmarshal string into Go value of type jsonpatch.Operation");
    }

    @Test
    void tooManyOperations() throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) sb.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/a\",\"value\":null}");
        JsonNode patch = json(sb.append("]").toString());
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), patch))
                .hasMessage("The allowed maximum operations in a JSON patch is 10000, got 10001")
                .extracting(e -> ((PatchException) e).code()).isEqualTo(413);
    }
}
