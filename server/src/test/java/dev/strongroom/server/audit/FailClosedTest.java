package dev.strongroom.server.audit;

import dev.strongroom.server.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --audit-fail-closed}: while the audit log cannot be written, reads and writes are refused with 503 and nothing
 * changes; once it can be written again, service resumes and the log's chain is intact (refused requests left no
 * events, and used up no sequence numbers).
 *
 * <p>"Cannot be written" is made real, not simulated: the log's path is pointed at /dev/full, whose every write fails
 * with ENOSPC as a full disk does (the server reopens its log when the file at the path is replaced, as after
 * logrotate). Permissions would not do: the tests run as root.
 */
class FailClosedTest {
    private static final String SECRET = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"%s\"},\"stringData\":{\"k\":\"v\"}}";

    @Test
    void refusedWhileTheLogIsUnwritableAndServingAgainAfter() throws Exception {
        assertThat(Path.of("/dev/full")).as("this test needs /dev/full").exists();
        Path dir = Files.createTempDirectory("strongroom-failclosed");
        Path log = dir.resolve("audit.log");
        Path saved = dir.resolve("audit.log.saved");
        String secrets = TestServer.secrets("default");
        try (TestServer s = TestServer.start(o -> o.withAudit(AuditOptions.defaults().withLogPath(log.toString()).withFailClosed(true)))) {
            assertThat(s.post(secrets, SECRET.formatted("before")).status()).isEqualTo(201);

            Files.move(log, saved);
            Files.createSymbolicLink(log, Path.of("/dev/full"));

            TestServer.Response create = s.post(secrets, SECRET.formatted("during"));
            assertThat(create.status()).as(create.body()).isEqualTo(503);
            assertThat(create.json().path("reason").asText()).isEqualTo("ServiceUnavailable");
            assertThat(s.get(secrets + "/before").status()).isEqualTo(503);
            assertThat(s.get(secrets).status()).isEqualTo(503);
            assertThat(s.delete(secrets + "/before").status()).isEqualTo(503);
            assertThat(s.patch(secrets + "/before", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}").status()).isEqualTo(503);

            Files.delete(log);
            Files.move(saved, log);

            // Nothing changed while refused: "during" was never created, "before" neither deleted nor labelled.
            assertThat(s.get(secrets + "/during").status()).isEqualTo(404);
            TestServer.Response before = s.get(secrets + "/before");
            assertThat(before.status()).isEqualTo(200);
            assertThat(before.json().path("metadata").has("labels")).isFalse();
            assertThat(s.post(secrets, SECRET.formatted("after")).status()).isEqualTo(201);
        }
        List<Path> files = List.of(log);
        Verifier.Result r = Verifier.verify(files, Verifier.findCheckpoint(files), null);
        assertThat(r.problem()).as("the log after the outage").isNull();
        // The refused requests left nothing; the ones before and after are there.
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).noneMatch(l -> l.contains("\"verb\":\"delete\"") || l.contains("\"verb\":\"patch\"") || l.contains("\"verb\":\"list\""));
        assertThat(lines).noneMatch(l -> l.contains("\"verb\":\"create\"") && l.contains("\"name\":\"during\""));
        assertThat(lines).anyMatch(l -> l.contains("\"verb\":\"create\"") && l.contains("\"name\":\"before\""));
        assertThat(lines).anyMatch(l -> l.contains("\"verb\":\"create\"") && l.contains("\"name\":\"after\""));
        Fixtures.deleteTree(dir);
    }

    @Test
    void failOpenKeepsServingWhileTheLogIsUnwritable() throws Exception {
        Path dir = Files.createTempDirectory("strongroom-failopen");
        Path log = dir.resolve("audit.log");
        try (TestServer s = TestServer.start(o -> o.withAudit(AuditOptions.defaults().withLogPath(log.toString())))) {
            Files.move(log, dir.resolve("audit.log.saved"));
            Files.createSymbolicLink(log, Path.of("/dev/full"));
            assertThat(s.post(TestServer.secrets("default"), SECRET.formatted("served")).status()).isEqualTo(201);
            assertThat(s.get(TestServer.secrets("default") + "/served").status()).isEqualTo(200);
        }
        Fixtures.deleteTree(dir);
    }
}
