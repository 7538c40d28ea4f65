package dev.strongroom.server.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strongroom audit verify}'s engine against a real log written by {@link FileBackend} (rotated into several
 * files) and then damaged one way at a time, as an intruder or an accident would.
 */
class VerifierTest {
    private static final int EVENTS = 60;
    private Path dir;
    private Path log;
    private KeyPair key;

    @BeforeEach
    void writeLog() throws Exception {
        dir = Files.createTempDirectory("strongroom-verify");
        log = dir.resolve("audit.log");
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        // ~350-byte events, 4 KiB files: about 11 events per file, so 5–6 files.
        try (FileBackend b = backend(0)) {
            for (int i = 1; i <= EVENTS; i++) b.offer(event(i));
        }
    }

    @AfterEach
    void clean() throws IOException {
        Fixtures.deleteTree(dir);
    }

    private FileBackend backend(int maxBackups) throws IOException {
        return FileBackend.open(log, 4096, 0, maxBackups, Duration.ofHours(1), key, Clock.systemUTC());
    }

    static AuditEntry event(int i) {
        String body = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"id-" + i
                + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/secrets/s" + i
                + "\",\"verb\":\"get\",\"user\":{\"username\":\"alice\"},\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"default\",\"name\":\"s" + i
                + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"";
        return new AuditEntry(body.getBytes(StandardCharsets.UTF_8), true, null);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private Verifier.Result verify() throws IOException {
        List<Path> f = files();
        return Verifier.verify(f, Verifier.findCheckpoint(f), key.getPublic());
    }

    /** The active file's lines, editable. */
    private List<String> lines(Path p) throws IOException { return new ArrayList<>(Files.readAllLines(p)); }

    private void write(Path p, List<String> lines) throws IOException {
        Files.writeString(p, String.join("\n", lines) + "\n");
    }

    /** A rotated file in the middle (neither the oldest nor the active one). */
    private Path middleFile() throws IOException {
        List<Path> f = files();
        assertThat(f.size()).as("the log must span several files for this test").isGreaterThanOrEqualTo(4);
        return f.get(1); // files sort as audit-<time>.log… then audit.log
    }

    @Test
    void anIntactLogPasses() throws IOException {
        Verifier.Result r = verify();
        assertThat(r.problem()).isNull();
        assertThat(r.events()).isEqualTo(EVENTS);
        assertThat(r.files()).isGreaterThanOrEqualTo(4);
        assertThat(r.signatureChecked()).isTrue();
        assertThat(r.checkpoint().seq()).isEqualTo(EVENTS);
    }

    @Test
    void theChainContinuesAcrossARestart() throws IOException {
        try (FileBackend b = backend(0)) {
            assertThat(b.seqForTest()).isEqualTo(EVENTS);
            b.offer(event(EVENTS + 1));
        }
        Verifier.Result r = verify();
        assertThat(r.problem()).isNull();
        assertThat(r.lastSeq()).isEqualTo(EVENTS + 1);
    }

    @Test
    void oneLogHasOneWriter() throws IOException {
        try (FileBackend first = backend(0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend(0)).hasMessageContaining("is being written by another server");
            first.offer(event(EVENTS + 1));
        }
        assertThat(verify().problem()).isNull();
    }

    @Test
    void aDeletedLine() throws IOException {
        Path f = middleFile();
        List<String> l = lines(f);
        l.remove(3);
        write(f, l);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.DELETED);
        assertThat(r.problem().message()).contains(f.getFileName() + ":4");
    }

    @Test
    void anEditedLine() throws IOException {
        Path f = middleFile();
        List<String> l = lines(f);
        l.set(2, l.get(2).replace("\"username\":\"alice\"", "\"username\":\"mallory\""));
        write(f, l);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.ALTERED);
        assertThat(r.problem().message()).contains(f.getFileName() + ":3");
    }

    @Test
    void anInsertedCopyOfAnEarlierLine() throws IOException {
        Path f = middleFile();
        List<String> l = lines(f);
        l.add(5, l.get(1));
        write(f, l);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.INSERTED);
        assertThat(r.problem().message()).contains(f.getFileName() + ":6");
    }

    @Test
    void anInsertedForgedLine() throws IOException {
        // A made-up event that claims the next sequence number, slipped in before the real one.
        Path f = middleFile();
        List<String> l = lines(f);
        String real = l.get(4);
        l.add(4, real.replace("\"verb\":\"get\"", "\"verb\":\"delete\""));
        write(f, l);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.INSERTED);
        assertThat(r.problem().message()).contains(f.getFileName() + ":5");
    }

    @Test
    void twoSwappedLines() throws IOException {
        Path f = middleFile();
        List<String> l = lines(f);
        String a = l.get(2);
        l.set(2, l.get(3));
        l.set(3, a);
        write(f, l);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.REORDERED);
    }

    @Test
    void aFileCutMidLine() throws IOException {
        byte[] b = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(b, b.length - 40));
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.TRUNCATED);
        assertThat(r.problem().message()).contains("cut short");
    }

    @Test
    void aTornLineFromACrashIsReportedAndTheChainGoesOn() throws IOException {
        // A crash in the middle of a write leaves half a line; the restarted server starts a fresh line and
        // continues the chain from the last whole event.
        byte[] b = Files.readAllBytes(log);
        String lastLine = lines(log).get(lines(log).size() - 1);
        Files.write(log, java.util.Arrays.copyOf(b, b.length - lastLine.length() / 2));
        try (FileBackend again = backend(0)) {
            // The signed checkpoint vouches for event 60, whose line is torn: the chain resumes after it.
            assertThat(again.seqForTest()).isEqualTo(EVENTS);
            again.offer(event(EVENTS + 1));
        }
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.TRUNCATED);
        assertThat(r.problem().message()).contains("incomplete event followed by more events");
    }

    @Test
    void aTailOfWholeLinesRemoved() throws IOException {
        // Clean cut at a line boundary: only the signed checkpoint knows more events existed.
        List<String> l = lines(log);
        write(log, l.subList(0, l.size() - 2));
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.TRUNCATED);
        assertThat(r.problem().message()).contains("events " + (EVENTS - 1) + "–" + EVENTS + " are missing at the end");
    }

    @Test
    void aRemovedRotatedFile() throws IOException {
        Files.delete(middleFile());
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.MISSING_FILE);
        assertThat(r.problem().message()).contains("a rotated log file was removed");
    }

    @Test
    void theOldestFileRemovedByHand() throws IOException {
        Files.delete(files().get(0));
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.MISSING_FILE);
        assertThat(r.problem().message()).contains("oldest");
    }

    @Test
    void theOldestFilesRemovedByRetentionPass() throws IOException {
        int before = files().size();
        try (FileBackend b = backend(2)) { // keep 2 rotated files: the next rotation prunes the rest
            for (int i = EVENTS + 1; i <= EVENTS + 12; i++) b.offer(event(i));
        }
        assertThat(files().size()).isLessThan(before);
        Verifier.Result r = verify();
        assertThat(r.problem()).isNull();
        assertThat(r.firstSeq()).isGreaterThan(1);
        assertThat(r.checkpoint().prunedThrough()).isEqualTo(r.firstSeq() - 1);
    }

    @Test
    void aRewrittenChainIsCaughtByTheCheckpoint() throws IOException {
        // The intruder edits an event and recomputes every later hash: the chain is consistent again,
        // but no longer ends where the signed checkpoint says it does.
        List<Path> fs = files();
        List<String> all = new ArrayList<>();
        for (Path p : fs) all.addAll(lines(p));
        all.set(10, all.get(10).replace("alice", "mallory"));
        Chain c = Chain.fresh();
        List<String> rewritten = new ArrayList<>();
        for (String line : all) {
            int mark = line.lastIndexOf(new String(Chain.INTO_ANNOTATIONS, StandardCharsets.UTF_8));
            byte[] body = line.substring(0, mark).getBytes(StandardCharsets.UTF_8);
            Bytes out = new Bytes(512);
            c.seal(new AuditEntry(body, true, null), out);
            rewritten.add(new String(out.toArray(), StandardCharsets.UTF_8).stripTrailing());
        }
        for (Path p : fs) Files.delete(p);
        write(log, rewritten);
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.ALTERED);
        assertThat(r.problem().message()).contains("does not match the signed checkpoint");
    }

    @Test
    void aForgedCheckpoint() throws IOException {
        Path cp = Checkpoint.fileFor(log);
        Files.writeString(cp, Files.readString(cp).replace("\"seq\":" + EVENTS, "\"seq\":" + (EVENTS - 5)));
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.CHECKPOINT);
    }

    @Test
    void aMissingCheckpoint() throws IOException {
        Files.delete(Checkpoint.fileFor(log));
        Verifier.Result r = verify();
        assertThat(r.problem().kind()).isEqualTo(Verifier.Kind.CHECKPOINT);
    }

    @Test
    void chainHashesAreWhatTheFormatSays() throws IOException {
        // Independent recomputation of the first line's hash from the documented formula.
        String first = Files.readAllLines(files().get(0)).get(0);
        String value = first.substring(first.lastIndexOf(":\"") + 2, first.length() - 3);
        String prefix = first.substring(0, first.lastIndexOf(":\"") + 2);
        assertThat(value).startsWith("1:");
        try {
            var d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(new byte[32]);
            d.update("1:".getBytes(StandardCharsets.US_ASCII));
            d.update(prefix.getBytes(StandardCharsets.UTF_8));
            assertThat(value.substring(2)).isEqualTo(HexFormat.of().formatHex(d.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
