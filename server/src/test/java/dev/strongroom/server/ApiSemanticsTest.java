package dev.strongroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.strongroom.server.TestServer.secrets;
import static org.assertj.core.api.Assertions.assertThat;

/** resourceVersion semantics, no-op updates, dry run, pagination, selectors and tables, over real HTTP. */
class ApiSemanticsTest {
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
        s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"pages\"}}");
        for (int i = 0; i < 7; i++) {
            String type = i % 2 == 0 ? "Opaque" : "example.com/odd";
            s.post(secrets("pages"), "{\"metadata\":{\"name\":\"p" + i + "\",\"labels\":{\"n\":\"" + i + "\",\"tier\":\"" + (i < 3 ? "low" : "high") + "\"}},\"type\":\"" + type + "\",\"stringData\":{\"a\":\"" + i + "\"}}");
        }
    }

    @AfterAll
    static void stop() throws Exception { s.close(); }

    @Test
    void stringDataBecomesDataAndIsNeverReturned() throws Exception {
        var r = s.post(secrets("default"), "{\"metadata\":{\"name\":\"sd\"},\"data\":{\"a\":\"eA==\",\"b\":\"eQ==\"},\"stringData\":{\"a\":\"over\"}}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode o = r.json();
        assertThat(o.has("stringData")).isFalse();
        assertThat(o.path("data").path("a").asText()).isEqualTo("b3Zlcg==");
        assertThat(o.path("data").path("b").asText()).isEqualTo("eQ==");
        assertThat(o.path("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void noOpUpdateKeepsTheResourceVersion() throws Exception {
        JsonNode created = s.post(secrets("default"), "{\"metadata\":{\"name\":\"noop\"},\"stringData\":{\"a\":\"1\"}}").json();
        String rv = created.path("metadata").path("resourceVersion").asText();
        var again = s.patch(secrets("default") + "/noop", "application/merge-patch+json", "{\"stringData\":{\"a\":\"1\"}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
        var changed = s.patch(secrets("default") + "/noop", "application/merge-patch+json", "{\"stringData\":{\"a\":\"2\"}}");
        assertThat(Long.parseLong(changed.json().path("metadata").path("resourceVersion").asText())).isGreaterThan(Long.parseLong(rv));
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        var r = s.post(secrets("default") + "?dryRun=All", "{\"metadata\":{\"name\":\"dry\"},\"stringData\":{\"a\":\"b\"}}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(r.json().path("metadata").has("resourceVersion")).isFalse();
        assertThat(s.get(secrets("default") + "/dry").status()).isEqualTo(404);
        assertThat(s.post(secrets("default") + "?dryRun=Some", "{\"metadata\":{\"name\":\"dry\"}}").status()).isEqualTo(422);
    }

    @Test
    void paginationIsConsistentAcrossPages() throws Exception {
        List<String> names = new ArrayList<>();
        JsonNode page = s.get(secrets("pages") + "?limit=3").json();
        String rv = page.path("metadata").path("resourceVersion").asText();
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isEqualTo(4);
        page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        // A write between pages is not visible in later pages: they are served at the first page's revision.
        s.post(secrets("pages"), "{\"metadata\":{\"name\":\"p9\"}}");
        while (page.path("metadata").has("continue")) {
            page = s.get(secrets("pages") + "?limit=3&continue=" + page.path("metadata").path("continue").asText()).json();
            assertThat(page.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
            page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        }
        assertThat(names).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
        s.delete(secrets("pages") + "/p9");
    }

    @Test
    void labelAndFieldSelectors() throws Exception {
        assertThat(names(s.get(secrets("pages") + "?labelSelector=tier%3Dlow").json())).containsExactly("p0", "p1", "p2");
        assertThat(names(s.get(secrets("pages") + "?labelSelector=n+in+(1,5),tier!%3Dlow").json())).containsExactly("p5");
        assertThat(names(s.get(secrets("pages") + "?fieldSelector=type%3Dexample.com%2Fodd").json())).containsExactly("p1", "p3", "p5");
        assertThat(names(s.get(secrets("pages") + "?fieldSelector=metadata.name%3Dp4").json())).containsExactly("p4");
        assertThat(names(s.get("/api/v1/secrets?fieldSelector=metadata.namespace%3Dpages,metadata.name!%3Dp0&labelSelector=tier%3Dlow").json())).containsExactly("p1", "p2");
    }

    @Test
    void tablesForListAndGet() throws Exception {
        var r = s.request("GET", secrets("pages") + "?limit=2", null, null, s.adminToken);
        var t = s.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.server.url() + secrets("pages") + "?limit=2"))
                .header("Authorization", "Bearer " + s.adminToken)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.status()).isEqualTo(200);
        JsonNode table = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(t.body());
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Type", "Data", "Age");
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").get(0).asText()).isEqualTo("p0");
        assertThat(row.path("cells").get(2).isNumber()).isTrue();
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(table.path("metadata").has("continue")).isTrue();
    }

    @Test
    void deleteReturnsStatusAndDeleteCollectionRemovesMatches() throws Exception {
        s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"dc\"}}");
        s.post(secrets("dc"), "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\"}}}");
        s.post(secrets("dc"), "{\"metadata\":{\"name\":\"b\",\"labels\":{\"x\":\"1\"}}}");
        s.post(secrets("dc"), "{\"metadata\":{\"name\":\"c\"}}");
        JsonNode st = s.delete(secrets("dc") + "/c").json();
        assertThat(st.path("status").asText()).isEqualTo("Success");
        assertThat(st.path("details").path("name").asText()).isEqualTo("c");
        assertThat(st.path("details").path("kind").asText()).isEqualTo("secrets");
        var r = s.request("DELETE", secrets("dc") + "?labelSelector=x%3D1", null, null, s.adminToken);
        assertThat(names(r.json())).containsExactly("a", "b");
        assertThat(names(s.get(secrets("dc")).json())).isEmpty();
    }

    @Test
    void deletePreconditions() throws Exception {
        String uid = s.post(secrets("default"), "{\"metadata\":{\"name\":\"pre\"}}").json().path("metadata").path("uid").asText();
        var bad = s.request("DELETE", secrets("default") + "/pre", "application/json",
                "{\"preconditions\":{\"uid\":\"other\"}}".getBytes(), s.adminToken);
        assertThat(bad.status()).isEqualTo(409);
        assertThat(bad.json().path("message").asText()).isEqualTo("Operation cannot be fulfilled on secrets \"pre\": Precondition failed: UID in precondition: other, UID in object meta: " + uid);
        var dry = s.request("DELETE", secrets("default") + "/pre", "application/json", "{\"dryRun\":[\"All\"]}".getBytes(), s.adminToken);
        assertThat(dry.status()).isEqualTo(200);
        assertThat(s.get(secrets("default") + "/pre").status()).isEqualTo(200);
    }

    @Test
    void curlGetsIndentedJson() throws Exception {
        var r = s.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.server.url() + secrets("default") + "/nope"))
                .header("Authorization", "Bearer " + s.adminToken).header("User-Agent", "curl/7.88.1").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("""
                {
                  "kind": "Status",
                  "apiVersion": "v1",
                  "metadata": {},
                  "status": "Failure",
                  "message": "secrets \\"nope\\" not found",
                  "reason": "NotFound",
                  "details": {
                    "name": "nope",
                    "kind": "secrets"
                  },
                  "code": 404
                }
                """);
        assertThat(r.headers().firstValue("date")).isPresent();
    }

    @Test
    void finalizersHoldADeletedSecretUntilRemoved() throws Exception {
        s.post(secrets("default"), "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/keep\"]}}");
        var d = s.delete(secrets("default") + "/held");
        assertThat(d.status()).isEqualTo(200);
        JsonNode marked = s.get(secrets("default") + "/held").json();
        assertThat(marked.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        var add = s.patch(secrets("default") + "/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":[\"example.com/keep\",\"example.com/more\"]}}");
        assertThat(add.status()).isEqualTo(422);
        assertThat(add.json().path("message").asText()).contains("no new finalizers can be added if the object is being deleted");
        assertThat(s.patch(secrets("default") + "/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}").status()).isEqualTo(200);
        assertThat(s.get(secrets("default") + "/held").status()).isEqualTo(404);
    }

    @Test
    void generateNameMayEndWithADash() throws Exception {
        var r = s.post(secrets("default"), "{\"metadata\":{\"generateName\":\"gen-\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("metadata").path("name").asText()).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(s.post(secrets("default"), "{\"metadata\":{\"generateName\":\"Bad_\"}}").status()).isEqualTo(422);
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }
}
