package dev.strongroom.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.store.KeyValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write the store acknowledged survives the process being killed with SIGKILL in the middle of writing, and the
 * file is intact afterwards. A child JVM writes; the test kills it once it has acknowledged plenty of writes.
 */
class KillNineDurabilityTest {

    static final int WRITERS = 16;
    static final int ACKS_BEFORE_KILL = 2_000;

    @TempDir Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        Path file = dir.resolve("store.db");
        Path childErrors = dir.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), file.toString(), String.valueOf(WRITERS))
                .redirectError(childErrors.toFile())
                .start();

        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        Thread reader = Thread.ofVirtual().start(() -> readAcks(child, acknowledged, enough));
        try {
            boolean reached = enough.await(60, TimeUnit.SECONDS);
            assertThat(reached).as("child acknowledged %d writes; its stderr: %s", acknowledged.size(),
                    Files.exists(childErrors) ? Files.readString(childErrors) : "").isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
            child.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(); // drains the acknowledgements still in the pipe
        assertThat(child.exitValue()).as("killed by SIGKILL, still writing").isEqualTo(128 + 9);

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            acknowledged.forEach((key, revision) -> {
                KeyValue kv = store.get(key);
                assertThat(kv).as("acknowledged key %s", key).isNotNull();
                assertThat(kv.value()).isEqualTo(KillNineChild.valueFor(key));
                assertThat(kv.modRevision()).isEqualTo(revision);
            });
            long maxAcked = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(store.currentRevision()).isGreaterThanOrEqualTo(maxAcked);
            System.out.printf("kill -9: %d acknowledged writes all present; store at revision %d%n",
                    acknowledged.size(), store.currentRevision());
        }
        try (Connection c = TestSupport.rawConnection(file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("ok");
        }
    }

    /** Collects "ACK key revision ." lines; a line cut short by the kill lacks the final "." and is ignored. */
    private static void readAcks(Process child, Map<String, Long> acknowledged, CountDownLatch enough) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                List<String> parts = List.of(line.split(" "));
                if (parts.size() == 4 && parts.get(0).equals("ACK") && parts.get(3).equals(".")) {
                    acknowledged.put(parts.get(1), Long.parseLong(parts.get(2)));
                    enough.countDown();
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the child dies; what was read is what counts
        }
    }
}
