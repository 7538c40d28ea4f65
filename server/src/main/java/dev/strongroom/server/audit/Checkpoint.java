package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed statement "the log named {@code log} held events 1…{@code seq}, and the chain hash at {@code seq} was
 * {@code hash}; events up to {@code prunedThrough} were deleted by the retention policy (the chain hash there was
 * {@code prunedHash})", signed with the installation's Ed25519 checkpoint key. Written next to the log as
 * {@code <log>.checkpoint} periodically, at rotation and at shutdown (replaced atomically), after the events it
 * covers are synced. It anchors the hash chain: rewriting the chain, cutting its tail or removing its oldest file
 * no longer goes unnoticed ({@link Verifier}).
 */
public record Checkpoint(String log, long seq, String hash, long prunedThrough, String prunedHash, String time,
                         String keyId, String signature) {

    public static final String KIND = "AuditCheckpoint";
    public static final String API_VERSION = "strongroom.dev/v1";

    public static Path fileFor(Path logFile) {
        return logFile.resolveSibling(logFile.getFileName() + ".checkpoint");
    }

    /** The exact bytes signed. */
    byte[] signedBytes() {
        return ("strongroom audit checkpoint v1\nlog=" + log + "\nseq=" + seq + "\nhash=" + hash + "\nprunedThrough=" + prunedThrough
                + "\nprunedHash=" + prunedHash + "\ntime=" + time + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static String keyId(PublicKey k) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k.getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Checkpoint sign(KeyPair key, String log, long seq, byte[] hash, long prunedThrough, byte[] prunedHash, String time) {
        Checkpoint unsigned = new Checkpoint(log, seq, HexFormat.of().formatHex(hash), prunedThrough, HexFormat.of().formatHex(prunedHash),
                time, keyId(key.getPublic()), "");
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.getPrivate());
            s.update(unsigned.signedBytes());
            return new Checkpoint(unsigned.log, seq, unsigned.hash, prunedThrough, unsigned.prunedHash, time, unsigned.keyId,
                    Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the audit checkpoint", e);
        }
    }

    public boolean verify(PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedBytes());
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    String toJson() {
        ObjectNode o = Json.object();
        o.put("kind", KIND);
        o.put("apiVersion", API_VERSION);
        o.put("log", log);
        o.put("seq", seq);
        o.put("hash", hash);
        o.put("prunedThrough", prunedThrough);
        o.put("prunedHash", prunedHash);
        o.put("time", time);
        o.put("keyId", keyId);
        o.put("signature", signature);
        return Json.string(o) + "\n";
    }

    /** Writes {@code file} atomically (temporary file, fsync, rename). */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Null if the file does not exist. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        JsonNode o = Json.parse(Files.readAllBytes(file));
        if (!KIND.equals(o.path("kind").asText()) || !API_VERSION.equals(o.path("apiVersion").asText())) {
            throw new IOException(file + " is not an audit checkpoint");
        }
        return new Checkpoint(o.path("log").asText(), o.path("seq").asLong(), o.path("hash").asText(), o.path("prunedThrough").asLong(),
                o.path("prunedHash").asText(), o.path("time").asText(), o.path("keyId").asText(), o.path("signature").asText());
    }
}
