package dev.strongroom.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyProvider}: AES-256 key-encryption keys kept in a local file (see {@link LocalKeyFile} for its
 * format), generated on first use. A seed is wrapped with AES-256-GCM under the current key, a random 12-byte nonce,
 * and the key id as associated data, so a wrapped seed relabelled with another key id does not unwrap:
 * {@code wrapped = nonce(12) || ciphertext || tag(16)}.
 *
 * <p>Several keys can live in the file; one is current. {@link #addKeyAndMakeCurrent()} is the rotation primitive: new
 * seeds are wrapped under the new key while values under the old ones stay readable until they are rewritten.
 * Thread-safe; wrap and unwrap read an immutable snapshot of the keys.
 */
public final class LocalKeyProvider implements KeyProvider {

    public static final String NAME = "local";
    private static final int NONCE_SIZE = 12;
    private static final int TAG_BITS = 128;
    private static final Logger log = LoggerFactory.getLogger(LocalKeyProvider.class);
    /** Serialises key-file rewrites within this JVM; the file lock does the same across processes. */
    private static final ReentrantLock REWRITE = new ReentrantLock();

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private volatile LocalKeyFile.Keyring keyring;

    private LocalKeyProvider(Path file, LocalKeyFile.Keyring keyring) {
        this.file = file;
        this.keyring = keyring;
    }

    /**
     * Loads the key file, or creates it with one fresh key if it does not exist. Creating never replaces a file that
     * appeared meanwhile (two processes starting at once both end up with the same keys).
     *
     * @throws IllegalStateException if the file is readable by group or others, or malformed
     */
    public static LocalKeyProvider loadOrCreate(Path file) {
        Path path = file.toAbsolutePath();
        if (Files.exists(path)) return new LocalKeyProvider(path, LocalKeyFile.read(path));
        createParentDirectories(path);
        SecureRandom random = new SecureRandom();
        LocalKeyFile.Keyring fresh = singleKey(random);
        try {
            LocalKeyFile.create(path, fresh);
            log.info("created local key file {} with key {}: keep it secret and back it up apart from the data",
                    path, fresh.currentId());
            return new LocalKeyProvider(path, fresh);
        } catch (FileAlreadyExistsException raced) {
            return new LocalKeyProvider(path, LocalKeyFile.read(path));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String currentKeyId() {
        return keyring.currentId();
    }

    /** All key ids in the file, oldest first. */
    public List<String> keyIds() {
        return List.copyOf(keyring.keys().keySet());
    }

    public Path file() {
        return file;
    }

    @Override
    public WrappedSeed wrap(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        LocalKeyFile.Keyring k = keyring;
        String keyId = k.currentId();
        byte[] out = new byte[NONCE_SIZE + seed.length + TAG_BITS / 8];
        byte[] nonce = new byte[NONCE_SIZE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 0, NONCE_SIZE);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.keys().get(keyId), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            gcm.doFinal(seed, 0, seed.length, out, NONCE_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a seed under local key " + keyId, e);
        }
        return new WrappedSeed(keyId, out, Map.of());
    }

    @Override
    public byte[] unwrap(WrappedSeed wrapped) {
        Objects.requireNonNull(wrapped, "wrapped");
        String keyId = wrapped.keyId();
        byte[] key = keyring.keys().get(keyId);
        if (key == null) {
            throw new DecryptionException("local key file " + file + " has no key " + LogSafe.quote(keyId)
                    + "; restore the key file from a backup that has it");
        }
        byte[] in = wrapped.ciphertext();
        if (in.length < NONCE_SIZE + TAG_BITS / 8) {
            throw new DecryptionException("seed wrapped under local key " + LogSafe.quote(keyId) + " is truncated");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, in, 0, NONCE_SIZE));
            gcm.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return gcm.doFinal(in, NONCE_SIZE, in.length - NONCE_SIZE);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("seed wrapped under local key " + LogSafe.quote(keyId) + " failed"
                    + " authentication: " + file + " holds a different key under that id, or the value was altered");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("cannot unwrap a seed under local key " + LogSafe.quote(keyId) + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Adds a fresh AES-256 key to the key file and makes it current, so new seeds are wrapped under it while every
     * older key stays for reading. The file is re-read under a lock first, so a concurrent rotation by another
     * process is never lost, then replaced atomically.
     *
     * @return the new key id
     */
    public String addKeyAndMakeCurrent() {
        return rewrite(current -> {
            Map<String, byte[]> keys = new LinkedHashMap<>(current.keys());
            String id = newKeyId(current, random);
            keys.put(id, newKey(random));
            return new LocalKeyFile.Keyring(keys, id);
        }).currentId();
    }

    /** Re-reads the key file, e.g. after another process (a rotation command) changed it. */
    public void reload() {
        keyring = LocalKeyFile.read(file);
    }

    @Override
    public String toString() {
        return "LocalKeyProvider[" + file + ", current=" + keyring.currentId() + "]";
    }

    @SuppressWarnings("try") // the FileLock is held for the block's duration, never referenced
    private LocalKeyFile.Keyring rewrite(UnaryOperator<LocalKeyFile.Keyring> change) {
        REWRITE.lock();
        Path lockPath = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel lockFile = LocalKeyFile.openOwnerOnly(lockPath, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            LocalKeyFile.Keyring next = change.apply(LocalKeyFile.read(file));
            LocalKeyFile.replace(file, next);
            keyring = next;
            log.info("local key file {}: key {} is now current", file, next.currentId());
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock key file " + file + ": " + e.getMessage(), e);
        } finally {
            REWRITE.unlock();
        }
    }

    private static LocalKeyFile.Keyring singleKey(SecureRandom random) {
        String id = newKeyId(null, random);
        return new LocalKeyFile.Keyring(Map.of(id, newKey(random)), id);
    }

    private static String newKeyId(LocalKeyFile.Keyring existing, SecureRandom random) {
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return LocalKeyFile.newKeyId(existing, suffix);
    }

    private static byte[] newKey(SecureRandom random) {
        byte[] key = new byte[LocalKeyFile.KEY_SIZE];
        random.nextBytes(key);
        return key;
    }

    private static void createParentDirectories(Path file) {
        Path dir = file.getParent();
        if (dir == null || Files.isDirectory(dir)) return;
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + " for the key file: " + e.getMessage(), e);
        }
    }
}
