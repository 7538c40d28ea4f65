package dev.strongroom.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The local key file: its text format, and reading and writing it without ever exposing it. The format is line based
 * so an operator can read it (and a backup tool can diff it):
 *
 * <pre>
 * # Strongroom local key-encryption keys. KEEP THIS FILE SECRET. ...
 * current k2-5e0c1a9f
 * key k1-0b3f9d21 &lt;base64 of 32 random bytes&gt;
 * key k2-5e0c1a9f &lt;base64 of 32 random bytes&gt;
 * </pre>
 *
 * {@code #} lines and blank lines are ignored. Key ids are public (they are stored in every value) and never reused:
 * each carries a random suffix, so a deleted-and-recreated key cannot be mistaken for the old one.
 *
 * <p>The file is created with mode 0600 from its first byte (written to a new 0600 temporary file, synced, then
 * linked or renamed into place), so it is never world-readable, not even briefly, and a crash leaves either the old
 * file or the new one. Reading refuses a file that group or others can access.
 */
final class LocalKeyFile {

    static final int KEY_SIZE = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    static final String HEADER = """
            # Strongroom local key-encryption keys (KEKs).
            # KEEP THIS FILE SECRET: with it, anyone holding a copy of the data can decrypt every stored secret.
            # Back it up apart from the data; without it the data cannot be decrypted. Mode must stay 0600.
            #
            # "key <id> <base64>" lines hold AES-256 keys; "current <id>" names the key that wraps new data keys.
            # Keep old keys until every value has been re-encrypted under the current one (key rotation).
            """;

    /** Key ids in file order, with the current one. */
    record Keyring(Map<String, byte[]> keys, String currentId) {
        Keyring {
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
            if (!keys.containsKey(currentId)) throw new IllegalArgumentException("current key is not in the keyring");
        }

        @Override
        public String toString() {
            return "Keyring[ids=" + keys.keySet() + ", current=" + currentId + "]"; // ids only, never key bytes
        }
    }

    private LocalKeyFile() {}

    static String newKeyId(Keyring existing, byte[] random4) {
        int n = existing == null ? 1 : existing.keys().size() + 1;
        return "k" + n + "-" + HexFormat.of().formatHex(random4);
    }

    // --------------------------------------------------------------------------------------------------- reading

    static Keyring read(Path file) {
        checkPermissions(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    /** Refuses group/other access: the keys would let any local user decrypt the store. */
    static void checkPermissions(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) return; // not a POSIX file system: access is governed by ACLs we cannot judge here
        Set<PosixFilePermission> perms;
        try {
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IllegalStateException("key file " + file + " is accessible by group or others (mode "
                    + PosixFilePermissions.toString(perms) + "); it holds the keys that protect every stored secret."
                    + " Fix it with: chmod 600 " + file);
        }
    }

    /** Errors name the line and the rule, never the line's text: it may hold a key. */
    static Keyring parse(String text, Path file) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = "key file " + file + " line " + (i + 1) + ": ";
            String[] f = line.split("\\s+");
            if (f[0].equals("current") && f.length == 2) {
                if (current != null) throw new IllegalStateException(where + "a second 'current' line");
                current = f[1];
            } else if (f[0].equals("key") && f.length == 3) {
                if (!KEY_ID.matcher(f[1]).matches()) {
                    throw new IllegalStateException(where + "key id must be 1-63 letters, digits, '.', '_' or '-'");
                }
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(f[2]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(where + "key " + f[1] + " is not valid base64");
                }
                if (key.length != KEY_SIZE) {
                    Arrays.fill(key, (byte) 0);
                    throw new IllegalStateException(where + "key " + f[1] + " is not " + KEY_SIZE + " bytes (AES-256)");
                }
                if (keys.putIfAbsent(f[1], key) != null) {
                    throw new IllegalStateException(where + "key id " + f[1] + " appears twice");
                }
            } else {
                throw new IllegalStateException(where + "expected 'key <id> <base64>' or 'current <id>'");
            }
        }
        if (current == null) throw new IllegalStateException("key file " + file + " has no 'current <id>' line");
        if (!keys.containsKey(current)) {
            throw new IllegalStateException("key file " + file + " names " + current + " as current, but has no such key");
        }
        return new Keyring(keys, current);
    }

    // --------------------------------------------------------------------------------------------------- writing

    static String format(Keyring keyring) {
        StringBuilder out = new StringBuilder(HEADER).append("current ").append(keyring.currentId()).append('\n');
        Base64.Encoder b64 = Base64.getEncoder();
        keyring.keys().forEach((id, key) -> out.append("key ").append(id).append(' ').append(b64.encodeToString(key))
                .append('\n'));
        return out.toString();
    }

    /**
     * Writes a new key file; fails with {@link FileAlreadyExistsException} rather than replace one, because replacing
     * a key file that already protects data would make that data unreadable.
     */
    static void create(Path file, Keyring keyring) throws FileAlreadyExistsException {
        Path tmp = writeTemp(file, keyring);
        try {
            try {
                Files.createLink(file, tmp); // atomic, and never replaces an existing file
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.move(tmp, file); // no hard links on this file system; still refuses to replace
            }
            syncDirectory(file);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key file " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Atomically replaces the key file (callers hold the rotation lock and have re-read it first). */
    static void replace(Path file, Keyring keyring) {
        Path tmp = writeTemp(file, keyring);
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace key file " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Creates (or opens) {@code path} with mode 0600 from the start when the file system is POSIX. */
    static FileChannel openOwnerOnly(Path path, StandardOpenOption... options) throws IOException {
        Set<StandardOpenOption> opts = Set.of(options);
        if (Files.getFileStore(path.toAbsolutePath().getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return FileChannel.open(path, opts, ownerOnly);
        }
        return FileChannel.open(path, opts);
    }

    private static Path writeTemp(Path file, Keyring keyring) {
        Path dir = file.toAbsolutePath().getParent();
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path tmp = dir.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        byte[] content = format(keyring).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = openOwnerOnly(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true); // durable before it becomes visible under the real name
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write key file " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** Makes the rename itself durable; a no-op where directories cannot be opened (not Linux). */
    private static void syncDirectory(Path file) {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the file's own contents were already forced
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover 0600 temporary file is harmless and is named after the key file
        }
    }
}
