package dev.strongroom.server.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks an audit log, possibly split over rotated files, against its hash chain ({@link Chain}) and its signed
 * checkpoint ({@link Checkpoint}), and reports the first problem: a deleted, inserted, altered or reordered event, a
 * removed rotated file, a truncated file, a chain that no longer matches its checkpoint. The files may be given in
 * any order: they are put in chain order by their first event.
 */
public final class Verifier {
    private static final Pattern ROTATED = Pattern.compile("^(.*)-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}(?:-\\d+)?(\\.[^.]*)?$");

    public enum Kind { DELETED, INSERTED, ALTERED, REORDERED, TRUNCATED, MISSING_FILE, CHECKPOINT }

    public record Problem(Kind kind, String message) {}

    /**
     * @param problem    null if the log is intact
     * @param anchored   events covered by the signed checkpoint (the rest are chained but not yet signed)
     */
    public record Result(Problem problem, long events, long firstSeq, long lastSeq, int files, Checkpoint checkpoint,
                         boolean signatureChecked, long anchored) {
        public boolean ok() { return problem == null; }

        public String describe() {
            if (problem != null) return problem.kind() + ": " + problem.message();
            StringBuilder sb = new StringBuilder("intact: ").append(events).append(" events");
            if (events > 0) sb.append(" (").append(firstSeq).append("–").append(lastSeq).append(")");
            sb.append(" in ").append(files).append(files == 1 ? " file" : " files");
            if (checkpoint != null) {
                sb.append("; signed checkpoint of ").append(checkpoint.time()).append(" (key ").append(checkpoint.keyId())
                        .append(signatureChecked ? ", signature valid" : ", SIGNATURE NOT CHECKED: no public key").append(") covers event ")
                        .append(checkpoint.seq());
                if (lastSeq > checkpoint.seq()) sb.append("; ").append(lastSeq - checkpoint.seq()).append(" later events are chained but not yet covered by a checkpoint");
            }
            return sb.toString();
        }
    }

    private Verifier() {}

    /** The checkpoint file that belongs to these log files: {@code audit.log.checkpoint} for audit.log and its rotations. */
    public static Path findCheckpoint(List<Path> files) {
        for (Path f : files) {
            Path c = Checkpoint.fileFor(f);
            if (Files.exists(c)) return c;
            var m = ROTATED.matcher(f.getFileName().toString());
            if (m.matches()) {
                Path active = f.resolveSibling(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
                c = Checkpoint.fileFor(active);
                if (Files.exists(c)) return c;
            }
        }
        return null;
    }

    private record Line(Path file, long number, byte[] bytes, ChainLink link, boolean terminated, boolean firstOfFile) {
        String where() { return file.getFileName() + ":" + number; }
    }

    /**
     * @param checkpointFile null: none (every log the server writes has one, so that is reported)
     * @param key            null: the checkpoint's signature is not checked (said so in the result)
     */
    public static Result verify(List<Path> files, Path checkpointFile, PublicKey key) throws IOException {
        Checkpoint cp = checkpointFile == null ? null : Checkpoint.read(checkpointFile);
        boolean sigChecked = false;
        if (cp != null && key != null) {
            if (!cp.verify(key)) {
                return new Result(new Problem(Kind.CHECKPOINT, "the checkpoint " + checkpointFile + " is not validly signed by key "
                        + Checkpoint.keyId(key) + " (forged, altered, or signed by another installation)"), 0, 0, 0, files.size(), cp, false, 0);
            }
            sigChecked = true;
        }
        // Chain order: by each file's first event.
        List<Path> ordered = new ArrayList<>();
        List<Long> firsts = new ArrayList<>();
        for (Path f : files) {
            ChainLink first = ChainLink.firstOf(f);
            if (first == null) {
                if (Files.size(f) > 0) {
                    return new Result(new Problem(Kind.ALTERED, f.getFileName() + " holds no chained audit event (altered, or not a Strongroom audit log)"),
                            0, 0, 0, files.size(), cp, sigChecked, 0);
                }
                continue;
            }
            ordered.add(f);
            firsts.add(first.seq());
        }
        Integer[] idx = new Integer[ordered.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingLong(firsts::get));
        List<Path> sorted = new ArrayList<>();
        for (Integer i : idx) sorted.add(ordered.get(i));

        Walk w = new Walk(cp, sorted);
        Problem p = w.run();
        if (p == null) p = w.checkTail();
        return new Result(p, w.events, w.firstSeq, w.lastSeq, files.size(), cp, sigChecked, cp == null ? 0 : Math.min(cp.seq(), w.lastSeq));
    }

    private static final class Walk {
        final Checkpoint cp;
        final List<Path> files;
        long expected = -1;
        byte[] prev;
        long events;
        long firstSeq;
        long lastSeq;
        byte[] hashAtCheckpoint;
        Path previousFile;

        Walk(Checkpoint cp, List<Path> files) {
            this.cp = cp;
            this.files = files;
        }

        Problem run() throws IOException {
            Line pending = null;
            for (Path f : files) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                    ChainLink.LineReader r = new ChainLink.LineReader(in);
                    long n = 0;
                    for (byte[] b; (b = r.next()) != null; ) {
                        n++;
                        byte[] copy = Arrays.copyOf(b, r.length());
                        Line line = new Line(f, n, copy, ChainLink.parse(copy, copy.length), r.terminated(), n == 1);
                        if (pending != null) {
                            Problem p = step(pending, line);
                            if (p != null) return p;
                        }
                        pending = line;
                    }
                }
            }
            return pending == null ? null : step(pending, null);
        }

        private Problem step(Line l, Line next) {
            if (l.link() == null) {
                if (!l.terminated()) return new Problem(Kind.TRUNCATED, l.where() + " is cut short: the file was truncated (or a write was interrupted)");
                String text = new String(l.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (text.startsWith("{\"kind\":\"Event\"") && !text.endsWith("}}")) {
                    // The server starts a new line after a torn last line when it restarts: that is how a crash looks.
                    return new Problem(Kind.TRUNCATED, l.where() + " is an incomplete event followed by more events: a write was cut short"
                            + " (a crash, or the file was truncated and written to again)");
                }
                return new Problem(Kind.ALTERED, l.where() + " is not a chained audit event: it was altered or inserted");
            }
            long seq = l.link().seq();
            if (expected < 0) {
                firstSeq = seq;
                if (seq == 1) {
                    prev = Chain.GENESIS;
                } else if (cp != null && cp.prunedThrough() == seq - 1) {
                    prev = HexFormat.of().parseHex(cp.prunedHash());
                } else {
                    String why = cp != null && cp.prunedThrough() > 0
                            ? " (retention deleted events up to " + cp.prunedThrough() + " only)" : "";
                    return new Problem(Kind.MISSING_FILE, missing(cp == null ? 1 : cp.prunedThrough() + 1, seq - 1)
                            + " before " + l.where() + ": the oldest log file(s) were removed" + why);
                }
                expected = seq;
            }
            if (seq == expected) {
                byte[] h = Chain.hash(prev, seq, l.bytes(), l.link().prefixEnd());
                if (!Arrays.equals(h, l.link().hash())) {
                    if (next != null && next.link() != null && next.link().seq() == seq
                            && Arrays.equals(Chain.hash(prev, seq, next.bytes(), next.link().prefixEnd()), next.link().hash())) {
                        return new Problem(Kind.INSERTED, l.where() + " was inserted: it claims event " + seq + ", which is the next line");
                    }
                    return new Problem(Kind.ALTERED, "event " + seq + " at " + l.where() + " was altered: its content does not match its hash");
                }
                prev = h;
                events++;
                lastSeq = seq;
                expected = seq + 1;
                if (cp != null && seq == cp.seq()) hashAtCheckpoint = h;
                previousFile = l.file();
                return null;
            }
            if (seq > expected) {
                if (next != null && next.link() != null && next.link().seq() == expected) {
                    return new Problem(Kind.REORDERED, "events " + seq + " (" + l.where() + ") and " + expected + " (" + next.where()
                            + ") are out of order: lines were swapped or moved");
                }
                if (l.firstOfFile() && previousFile != null && !previousFile.equals(l.file())) {
                    return new Problem(Kind.MISSING_FILE, missing(expected, seq - 1) + " between "
                            + previousFile.getFileName() + " and " + l.file().getFileName() + ": a rotated log file was removed (or cut short)");
                }
                return new Problem(Kind.DELETED, missing(expected, seq - 1) + " before " + l.where() + ": deleted");
            }
            return new Problem(Kind.INSERTED, l.where() + " claims event " + seq + " after event " + (expected - 1)
                    + ": a line was inserted (copied) or moved");
        }

        Problem checkTail() {
            if (cp == null) {
                return new Problem(Kind.CHECKPOINT, "no signed checkpoint found for this log (" + Checkpoint.KIND
                        + " file next to it): it was deleted, or these are not all the log's files");
            }
            if (cp.seq() > lastSeq) {
                return new Problem(Kind.TRUNCATED, missing(lastSeq + 1, cp.seq()) + " at the end: the signed checkpoint of "
                        + cp.time() + " covers event " + cp.seq() + " but the log ends at event " + lastSeq
                        + " (the log was truncated or its newest file removed)");
            }
            if (cp.seq() >= firstSeq && (hashAtCheckpoint == null || !HexFormat.of().formatHex(hashAtCheckpoint).equals(cp.hash()))) {
                return new Problem(Kind.ALTERED, "event " + cp.seq() + " does not match the signed checkpoint of " + cp.time()
                        + ": the log was rewritten (events up to " + cp.seq() + " were altered and re-chained)");
            }
            return null;
        }

        private static String missing(long a, long b) { return a == b ? "event " + a + " is missing" : "events " + a + "–" + b + " are missing"; }
    }
}
