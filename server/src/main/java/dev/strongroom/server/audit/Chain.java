package dev.strongroom.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash chain that makes a log tamper-evident. Every event written gets one more annotation, always the last key
 * of its annotations map and the last thing on its line:
 * <pre>  ..."annotations":{...,"strongroom.dev/audit-chain":"SEQ:HASH"}}</pre>
 * where SEQ counts the log's events from 1 and HASH = hex(SHA-256(previous HASH as 32 bytes ‖ "SEQ:" ‖ the line's
 * bytes up to and including the opening quote of the value)). The first event's previous hash is 32 zero bytes.
 * Editing, inserting, deleting or reordering lines therefore breaks either the sequence or the hashes, and
 * {@link Verifier} can say which. Rewriting the whole chain after an edit is caught by the signed checkpoint
 * ({@link Checkpoint}), which pins one (SEQ, HASH) with the installation's key.
 *
 * <p>Not thread-safe: each backend seals from its single writer thread.
 */
public final class Chain {
    public static final String KEY = "strongroom.dev/audit-chain";
    static final byte[] INTO_ANNOTATIONS = (",\"" + KEY + "\":\"").getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_ANNOTATIONS = (",\"annotations\":{\"" + KEY + "\":\"").getBytes(StandardCharsets.UTF_8);
    /** What follows the value on every line. */
    static final byte[] END = "\"}}\n".getBytes(StandardCharsets.UTF_8);
    /** What precedes the value on every line (the verifier looks for its last occurrence). */
    static final byte[] MARK = ("\"" + KEY + "\":\"").getBytes(StandardCharsets.UTF_8);
    public static final byte[] GENESIS = new byte[32];

    private final MessageDigest sha;
    private long seq;
    private byte[] prev;

    public Chain(long lastSeq, byte[] lastHash) {
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.seq = lastSeq;
        this.prev = lastHash.clone();
    }

    public static Chain fresh() { return new Chain(0, GENESIS); }

    public long seq() { return seq; }

    public byte[] lastHash() { return prev.clone(); }

    /** A point to roll back to when a write fails: the events that were not written must not use up sequence numbers. */
    public record Mark(long seq, byte[] hash) {}

    public Mark mark() { return new Mark(seq, prev); }

    public void reset(Mark m) {
        seq = m.seq();
        prev = m.hash();
    }

    /** Appends the sealed line for {@code e} to {@code out} and advances the chain. */
    public void seal(AuditEntry e, Bytes out) {
        long s = seq + 1;
        byte[] connector = e.hasAnnotations() ? INTO_ANNOTATIONS : NEW_ANNOTATIONS;
        int start = out.length();
        out.raw(e.body(), 0, e.length()).raw(connector);
        int prefixEnd = out.length();
        out.number(s).ch(':');
        int seqEnd = out.length();
        sha.update(prev);
        sha.update(out.array(), prefixEnd, seqEnd - prefixEnd); // "SEQ:"
        sha.update(out.array(), start, prefixEnd - start);      // the line up to the value
        byte[] h = sha.digest();
        out.hex(h).raw(END);
        seq = s;
        prev = h;
    }

    /** The hash a line claims for itself, recomputed from its prefix (the verifier's side of {@link #seal}). */
    static byte[] hash(byte[] previous, long seq, byte[] line, int prefixEnd) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(previous);
            d.update((seq + ":").getBytes(StandardCharsets.US_ASCII));
            d.update(line, 0, prefixEnd);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
