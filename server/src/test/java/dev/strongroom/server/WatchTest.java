package dev.strongroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.strongroom.server.TestServer.secrets;
import static org.assertj.core.api.Assertions.assertThat;

/** The watch protocol over HTTP: resume from a resourceVersion, selectors, 410 after compaction, timeouts, h1/h2. */
class WatchTest {
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
        s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"w\"}}");
    }

    @AfterAll
    static void stop() throws Exception { s.close(); }

    /** Opens a watch and returns a reader of its event lines. */
    static BufferedReader watch(String query) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.server.url() + secrets("w") + "?watch=true&" + query))
                .header("Authorization", "Bearer " + s.adminToken).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<java.io.InputStream> resp = s.http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
    }

    static JsonNode next(BufferedReader r) throws Exception {
        String line = r.readLine();
        assertThat(line).as("the stream ended early").isNotNull();
        return Json.MAPPER.readTree(line);
    }

    static String rv(TestServer.Response r) { return r.json().path("metadata").path("resourceVersion").asText(); }

    @Test
    void resumesAfterAResourceVersionWithEveryChangeInOrder() throws Exception {
        String rv0 = rv(s.post(secrets("w"), "{\"metadata\":{\"name\":\"r0\"}}"));
        s.post(secrets("w"), "{\"metadata\":{\"name\":\"r1\"},\"stringData\":{\"a\":\"1\"}}");
        s.patch(secrets("w") + "/r1", "application/merge-patch+json", "{\"stringData\":{\"a\":\"2\"}}");
        s.delete(secrets("w") + "/r1");
        try (BufferedReader r = watch("resourceVersion=" + rv0 + "&fieldSelector=metadata.name%3Dr1")) {
            List<String> seen = new ArrayList<>();
            long last = Long.parseLong(rv0);
            for (int i = 0; i < 3; i++) {
                JsonNode e = next(r);
                seen.add(e.path("type").asText());
                long rv = Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText());
                assertThat(rv).isGreaterThan(last);
                last = rv;
                assertThat(e.path("object").path("kind").asText()).isEqualTo("Secret");
            }
            assertThat(seen).containsExactly("ADDED", "MODIFIED", "DELETED");
        }
    }

    @Test
    void anObjectLeavingTheSelectionIsDeletedForTheWatcher() throws Exception {
        String rv0 = rv(s.post(secrets("w"), "{\"metadata\":{\"name\":\"sel\",\"labels\":{\"tier\":\"a\"}}}"));
        try (BufferedReader r = watch("resourceVersion=" + rv0 + "&labelSelector=tier%3Da")) {
            s.patch(secrets("w") + "/sel", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"tier\":\"b\"}}}");
            JsonNode e = next(r);
            assertThat(e.path("type").asText()).isEqualTo("DELETED");
            assertThat(e.path("object").path("metadata").path("labels").path("tier").asText()).isEqualTo("b");
        }
    }

    @Test
    void withoutAResourceVersionCurrentObjectsComeFirst() throws Exception {
        s.post(secrets("w"), "{\"metadata\":{\"name\":\"existing\"}}");
        try (BufferedReader r = watch("fieldSelector=metadata.name%3Dexisting")) {
            JsonNode e = next(r);
            assertThat(e.path("type").asText()).isEqualTo("ADDED");
            assertThat(e.path("object").path("metadata").path("name").asText()).isEqualTo("existing");
        }
    }

    @Test
    void tooOldAResourceVersionIsExpired() throws Exception {
        String old = rv(s.post(secrets("w"), "{\"metadata\":{\"name\":\"old\"}}"));
        String newer = rv(s.post(secrets("w"), "{\"metadata\":{\"name\":\"newer\"}}"));
        s.server.store().compact(Long.parseLong(newer));
        try (BufferedReader r = watch("resourceVersion=" + (Long.parseLong(old) - 1))) {
            JsonNode e = next(r);
            assertThat(e.path("type").asText()).isEqualTo("ERROR");
            assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(e.path("object").path("reason").asText()).isEqualTo("Expired");
            assertThat(e.path("object").path("message").asText()).startsWith("too old resource version: ");
            assertThat(r.readLine()).as("the stream ends after the error").isNull();
        }
    }

    @Test
    void timeoutSecondsEndsTheStreamCleanly() throws Exception {
        String rv0 = rv(s.post(secrets("w"), "{\"metadata\":{\"name\":\"t\"}}"));
        try (BufferedReader r = watch("resourceVersion=" + rv0 + "&timeoutSeconds=1")) {
            assertThat(r.readLine()).isNull();
        }
    }

    @Test
    void bothHttp2AndHttp11AreServed() throws Exception {
        for (HttpClient.Version v : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpClient c = HttpClient.newBuilder().sslContext(s.http.sslContext()).version(v).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(v);
        }
    }
}
