package dev.strongroom.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparisons are only as strict as the normalisation lets them be: each rule replaces a value of its exact
 * shape and nothing else, so a wrong value still fails a comparison.
 */
class NormalizeTest {
    @Test
    void objectRulesReplaceOnlyWellFormedVolatileValues() {
        String yaml = """
                metadata:
                  creationTimestamp: "2026-11-22T16:41:01Z"
                  name: my-secret
                  resourceVersion: "197"
                  uid: 9aceba87-ae76-4961-8e3b-1e61732ec98e
                """;
        assertThat(Normalize.object(yaml)).isEqualTo("""
                metadata:
                  creationTimestamp: "<time>"
                  name: my-secret
                  resourceVersion: "<rv>"
                  uid: <uid-1>
                """);
        // Fractional seconds, a non-numeric resourceVersion, an upper-case UID are not what upstream prints: kept.
        assertThat(Normalize.object("creationTimestamp: \"2026-11-22T16:41:01.123Z\"")).doesNotContain("<time>\"");
        assertThat(Normalize.object("resourceVersion: \"abc\"")).isEqualTo("resourceVersion: \"abc\"");
        assertThat(Normalize.object("uid: 9ACEBA87-AE76-4961-8E3B-1E61732EC98E")).doesNotContain("<uid");
        // The same UID twice stays "the same", two different UIDs stay different.
        assertThat(Normalize.object("a 9aceba87-ae76-4961-8e3b-1e61732ec98e b 9aceba87-ae76-4961-8e3b-1e61732ec98e c f6ab4f47-9001-4a36-95e8-e0c6dd4c03fb"))
                .isEqualTo("a <uid-1> b <uid-1> c <uid-2>");
        // Escaped inside a string (last-applied-configuration) and compact JSON.
        assertThat(Normalize.object("{\\\"resourceVersion\\\":\\\"14\\\"} {\"resourceVersion\":\"207\"}"))
                .isEqualTo("{\\\"resourceVersion\\\":\\\"<rv>\\\"} {\"resourceVersion\":\"<rv>\"}");
    }

    @Test
    void tableRuleReplacesOnlyTheAgeColumn() {
        String reference = """
                NAME                 TYPE                             DATA   AGE   LABELS
                db-user-pass         Opaque                           2      1s    <none>
                """;
        String ours = """
                NAME           TYPE     DATA   AGE    LABELS
                db-user-pass   Opaque   2      2m3s   <none>
                """;
        assertThat(Normalize.table(ours)).isEqualTo(Normalize.table(reference));
        // A wrong DATA count, type or label still differs; so does a garbage age.
        assertThat(Normalize.table(ours.replace("2      2m3s", "3      2m3s"))).isNotEqualTo(Normalize.table(reference));
        assertThat(Normalize.table(ours.replace("Opaque", "opaque  "))).isNotEqualTo(Normalize.table(reference));
        assertThat(Normalize.table(ours.replace("2m3s", "soon"))).isNotEqualTo(Normalize.table(reference));
    }

    @Test
    void describeRuleOnlySortsTheDataKeys() {
        String a = "Type:  Opaque\n\nData\n====\ntls.key:  1704 bytes\ntls.crt:  1151 bytes\n\n\nName:  x\n";
        String b = "Type:  Opaque\n\nData\n====\ntls.crt:  1151 bytes\ntls.key:  1704 bytes\n\n\nName:  x\n";
        assertThat(Normalize.describe(a)).isEqualTo(Normalize.describe(b));
        assertThat(Normalize.describe(a.replace("1704", "1703"))).isNotEqualTo(Normalize.describe(b));
    }

    @Test
    void managedFieldsRemovalKeepsEverythingElse() {
        String compact = "{\"metadata\":{\"name\":\"a\",\"managedFields\":[{\"manager\":\"x\",\"fieldsV1\":{\"f:data\":{}}}],\"uid\":\"u\"},\"data\":{}}";
        assertThat(ManagedFields.remove(compact)).isEqualTo("{\"metadata\":{\"name\":\"a\",\"uid\":\"u\"},\"data\":{}}");
        String pretty = "{\n  \"metadata\": {\n    \"name\": \"a\",\n    \"managedFields\": [\n      {\"m\": \"]\"}\n    ]\n  }\n}";
        assertThat(ManagedFields.remove(pretty)).isEqualTo("{\n  \"metadata\": {\n    \"name\": \"a\"\n  }\n}");
        // A string that merely contains the key is data, not the member.
        String inString = "{\"note\":\"\\\"managedFields\\\":[]\"}";
        assertThat(ManagedFields.remove(inString)).isEqualTo(inString);
    }

    @Test
    void transcriptCommandsSplitLikeAShell() {
        assertThat(Transcript.shellWords("kubectl get secret my-secret -o go-template='{{range $k,$v := .data}}{{\"\\n\"}}{{end}}'"))
                .isEqualTo(List.of("kubectl", "get", "secret", "my-secret", "-o", "go-template={{range $k,$v := .data}}{{\"\\n\"}}{{end}}"));
        assertThat(Transcript.shellWords("kubectl get --raw \"/api/v1/namespaces/default/secrets?limit=2\""))
                .isEqualTo(List.of("kubectl", "get", "--raw", "/api/v1/namespaces/default/secrets?limit=2"));
    }

    @Test
    void ruleVerbsSortsOnlyAMultiVerbCellAtTheEndOfARow() {
        String list = """
                Resources   Non-Resource URLs   Resource Names   Verbs
                secrets     []                  []               [get watch list]
                            [/healthz]          []               [get]
                pods        []                  [a b]            [list get]""";
        assertThat(Normalize.ruleVerbs(list)).isEqualTo("""
                Resources   Non-Resource URLs   Resource Names   Verbs
                secrets     []                  []               [get list watch]
                            [/healthz]          []               [get]
                pods        []                  [a b]            [get list]""");
        // Missing or extra verbs still differ.
        assertThat(Normalize.ruleVerbs("secrets   []   []   [get watch]")).isNotEqualTo(Normalize.ruleVerbs("secrets   []   []   [get list watch]"));
    }
}
