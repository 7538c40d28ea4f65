package dev.strongroom.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability: a create answered 201 is durable. Several clients create secrets concurrently over HTTPS; the server (a
 * child JVM) is SIGKILLed while creates are in flight; after a restart on the same data directory every acknowledged
 * secret is there with exactly its data, every secret that is there holds exactly what some client sent (no torn or
 * mixed record), and listing everything works (a record that cannot be decrypted would make it fail).
 */
class KillNineDurabilityTest {
    private static final int WRITERS = 8;
    /** Enough acknowledged creates that group commits of several writers have happened before the kill. */
    private static final int ACKS_BEFORE_KILL = 300;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedCreateSurvivesSigkill() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        int port = ChildServer.freePort();

        Map<String, String> attempted = new ConcurrentHashMap<>();    // name -> base64 value sent
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // name -> base64 value, answered 201
        AtomicReference<String> unexpected = new AtomicReference<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger sending = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        int inFlightAtKill;

        try (ChildServer first = ChildServer.start(data, port, log)) {
            ServerAccess access = new ServerAccess(data, first.url());
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    SecureRandom random = new SecureRandom();
                    for (int i = 0; !killed.get(); i++) {
                        String name = "d-" + writer + "-" + i;
                        // Mostly small values, every 16th 64 KiB: large records span several pages, where a torn
                        // write would show.
                        byte[] value = new byte[i % 16 == 0 ? 64 * 1024 : 48];
                        random.nextBytes(value);
                        String b64 = Base64.getEncoder().encodeToString(value);
                        attempted.put(name, b64);
                        HttpRequest create = access.request("/api/v1/namespaces/default/secrets")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"v\":\"" + b64 + "\"}}"))
                                .build();
                        sending.incrementAndGet();
                        try {
                            HttpResponse<String> r = access.client().send(create, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acknowledged.put(name, b64);
                                enough.countDown();
                            } else {
                                unexpected.compareAndSet(null, name + ": HTTP " + r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            // After the kill every open request fails; before it, nothing may.
                            if (!killed.get()) unexpected.compareAndSet(null, name + ": " + e);
                        } catch (InterruptedException e) {
                            return;
                        } finally {
                            sending.decrementAndGet();
                        }
                    }
                }));
            }
            boolean reached = enough.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(unexpected.get()).as("no create failed before the kill").isNull();
            assertThat(reached).as("%d creates acknowledged within %s (got %d)\n%s", ACKS_BEFORE_KILL, DEADLINE, acknowledged.size(), first.log()).isTrue();
            // Kill while the writers keep sending: the requests they are waiting on now are cut off mid-flight.
            inFlightAtKill = sending.get();
            killed.set(true);
            first.kill();
            for (Thread t : writers) {
                t.join(DEADLINE.toMillis());
                assertThat(t.isAlive()).as("%s ended after the kill", t.getName()).isFalse();
            }
        }
        assertThat(unexpected.get()).as("no create failed except by the kill").isNull();
        // Otherwise the kill would not have happened "during concurrent creates".
        assertThat(inFlightAtKill).as("creates in flight at the kill").isPositive();
        Map<String, String> acked = new HashMap<>(acknowledged);

        try (ChildServer second = ChildServer.start(data, port, log)) {
            ServerAccess access = new ServerAccess(data, second.url());

            // The whole list must be readable: one torn or undecryptable record would fail it.
            HttpResponse<String> list = access.get("/api/v1/secrets");
            assertThat(list.statusCode()).as("list all secrets after the restart: %s\n%s", list.body(), second.log()).isEqualTo(200);
            Map<String, String> stored = new HashMap<>();
            for (JsonNode item : ServerAccess.json(list).path("items")) {
                String name = item.path("metadata").path("name").asText();
                if (name.startsWith("d-")) stored.put(name, item.path("data").path("v").asText());
            }

            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertThat(stored.get(e.getKey())).as("acknowledged secret %s is back with exactly its data", e.getKey()).isEqualTo(e.getValue());
            }
            // Unacknowledged creates may or may not have made it; if one did, it holds what was sent.
            for (Map.Entry<String, String> e : stored.entrySet()) {
                assertThat(attempted).as("stored secret %s was sent by a client", e.getKey()).containsKey(e.getKey());
                assertThat(e.getValue()).as("stored secret %s holds exactly what was sent", e.getKey()).isEqualTo(attempted.get(e.getKey()));
            }
            // The single-object read path decrypts each one too.
            for (String name : acked.keySet()) {
                HttpResponse<String> one = access.get("/api/v1/namespaces/default/secrets/" + name);
                assertThat(one.statusCode()).as("GET %s: %s", name, one.body()).isEqualTo(200);
                assertThat(ServerAccess.json(one).path("data").path("v").asText()).isEqualTo(acked.get(name));
            }

            System.out.printf("durability: %d creates sent, %d acknowledged, %d in flight at the kill, %d stored after restart%n",
                    attempted.size(), acked.size(), inFlightAtKill, stored.size());

            // And the store still takes writes after recovery.
            HttpResponse<String> after = access.send(access.request("/api/v1/namespaces/default/secrets")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"after-restart\"},\"stringData\":{\"a\":\"b\"}}"))
                    .build());
            assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        }
    }
}
