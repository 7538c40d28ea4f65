package dev.strongroom.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM with a 12-byte nonce and a 16-byte tag, the parameters of Kubernetes' {@code aes.NewGCMTransformer}; the
 * key size (AES-128/192/256) follows the key, as Go's {@code aes.NewCipher} does.
 *
 * <p>{@link Cipher} objects are reused through a small lock-free pool because {@code Cipher.getInstance} costs about
 * 3 µs, several times the encryption of 1 KiB itself. A thread-local would not help under virtual threads (one per
 * request), a pool does. Every use re-initialises the cipher with the value's own key and nonce.
 */
final class AesGcm {

    static final int NONCE_SIZE = 12;
    static final int TAG_SIZE = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final AtomicReferenceArray<Cipher> pool;
    private final int mask;

    AesGcm() {
        int size = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 2) - 1) << 1;
        pool = new AtomicReferenceArray<>(size);
        mask = size - 1;
    }

    /**
     * Encrypts {@code plaintext} into {@code out} at {@code outOffset} (ciphertext then tag), with the nonce read from
     * {@code nonceBuf} at {@code nonceOffset}; returns the number of bytes written.
     */
    int seal(SecretKey key, byte[] nonceBuf, int nonceOffset, byte[] associatedData, byte[] plaintext,
             byte[] out, int outOffset) {
        Cipher cipher = take();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, nonceBuf, nonceOffset, NONCE_SIZE));
            cipher.updateAAD(associatedData);
            int n = cipher.doFinal(plaintext, 0, plaintext.length, out, outOffset);
            give(cipher);
            return n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts {@code ciphertextLength} bytes (ciphertext then tag) at {@code ciphertextOffset}.
     *
     * @throws DecryptionException if the tag does not verify: wrong key, wrong associated data, or altered bytes
     */
    byte[] open(SecretKey key, byte[] buf, int nonceOffset, int ciphertextOffset, int ciphertextLength,
                byte[] associatedData) {
        if (ciphertextLength < TAG_SIZE) throw new DecryptionException("the stored data is shorter than a GCM tag");
        Cipher cipher = take();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, buf, nonceOffset, NONCE_SIZE));
            cipher.updateAAD(associatedData);
            byte[] plaintext = cipher.doFinal(buf, ciphertextOffset, ciphertextLength);
            give(cipher);
            return plaintext;
        } catch (AEADBadTagException e) {
            throw new DecryptionException("the stored data failed authentication: it was altered, copied from another"
                    + " key, or encrypted with a different key");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("AES-GCM decryption failed: " + e.getClass().getSimpleName());
        }
    }

    private Cipher take() {
        int start = probe();
        for (int i = 0; i <= mask; i++) {
            int slot = (start + i) & mask;
            Cipher c = pool.get(slot);
            if (c != null && pool.compareAndSet(slot, c, null)) return c;
        }
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is unavailable in this JDK", e);
        }
    }

    /** Returns a cipher after a successful operation; one that threw is dropped rather than trusted again. */
    private void give(Cipher cipher) {
        int start = probe();
        for (int i = 0; i <= mask; i++) {
            if (pool.compareAndSet((start + i) & mask, null, cipher)) return;
        }
    }

    private int probe() {
        return (int) Thread.currentThread().threadId() & mask;
    }
}
