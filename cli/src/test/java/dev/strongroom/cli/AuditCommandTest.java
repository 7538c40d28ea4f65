package dev.strongroom.cli;

import dev.strongroom.server.audit.AuditEntry;
import dev.strongroom.server.audit.FileBackend;
import dev.strongroom.server.audit.Redactor;
import dev.strongroom.server.init.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strongroom audit verify} and {@code strongroom audit hmac} as an operator runs them: output and exit status. */
class AuditCommandTest {
    private Path root;
    private Path log;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream savedOut = System.out;
    private final InputStream savedIn = System.in;

    @BeforeEach
    void writeLog() throws Exception {
        root = Files.createTempDirectory("strongroom-cli-audit");
        DataDirectory dir = new DataDirectory(root.resolve("data"));
        dir.ensureExists();
        dir.ensureAuditHmacKey(); // as the server's first start does
        log = root.resolve("audit.log");
        try (FileBackend b = FileBackend.open(log, 0, 0, 0, Duration.ofHours(1), dir.ensureAuditCheckpointKey(), Clock.systemUTC())) {
            for (int i = 1; i <= 5; i++) {
                b.offer(new AuditEntry(("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"a" + i + "\"").getBytes(StandardCharsets.UTF_8), false, null));
            }
        }
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setOut(savedOut);
        System.setIn(savedIn);
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int run(String... args) { return Main.commandLine().execute(args); }

    @Test
    void anIntactLogExitsZero() {
        assertThat(run("audit", "verify", "--data-dir", root.resolve("data").toString(), log.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("intact: 5 events (1–5) in 1 file; signed checkpoint");
    }

    @Test
    void aDeletedLineExitsOneAndSaysWhere() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(2);
        Files.writeString(log, String.join("\n", lines) + "\n");
        assertThat(run("audit", "verify", "--data-dir", root.resolve("data").toString(), log.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOT intact: DELETED: event 3 is missing before audit.log:3");
    }

    @Test
    void withoutAKeyOrAFileItCannotCheckAndExitsTwo() {
        assertThat(run("audit", "verify", "--data-dir", root.resolve("nowhere").toString(), log.toString())).isEqualTo(2);
        assertThat(run("audit", "verify", "--data-dir", root.resolve("data").toString(), root.resolve("missing.log").toString())).isEqualTo(2);
    }

    @Test
    void hmacPrintsWhatTheLogWouldHold() throws Exception {
        System.setIn(new ByteArrayInputStream("mypassword\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("audit", "hmac", "--data-dir", root.resolve("data").toString())).isZero();
        String expected = new Redactor(new DataDirectory(root.resolve("data")).ensureAuditHmacKey()).hmac("mypassword");
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(expected);
        // The base64 form of the same value, as it appears in a Secret's data, gives the same HMAC.
        out.reset();
        System.setIn(new ByteArrayInputStream("bXlwYXNzd29yZA==".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("audit", "hmac", "--base64", "--data-dir", root.resolve("data").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(expected);
    }
}
