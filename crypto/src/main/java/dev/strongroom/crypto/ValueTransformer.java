package dev.strongroom.crypto;

/**
 * Turns a plaintext object into the bytes stored at rest and back, as Kubernetes' {@code value.Transformer}. The
 * associated data is the object's store key, so a ciphertext copied under another key does not decrypt.
 * Implementations never put plaintext (or anything derived from it) into exception messages or logs.
 */
public interface ValueTransformer {

    byte[] transformToStorage(byte[] plaintext, byte[] associatedData);

    /** @throws DecryptionException if the bytes are not ours, were tampered with, or their key is unavailable */
    FromStorage transformFromStorage(byte[] stored, byte[] associatedData);

    /**
     * @param stale true when the value was written under a key that is no longer the current write key: a rewrite
     *              (key rotation) should re-encrypt it
     */
    record FromStorage(byte[] plaintext, boolean stale) {}
}
