package dev.strongroom.crypto;

import java.util.Map;

/**
 * A key-encryption key (KEK) that wraps and unwraps the seeds data keys are derived from. Implementations: a local
 * key file (default), a Kubernetes KMS v2 plugin over gRPC, a PKCS#11 HSM. The store never sees a provider.
 */
public interface KeyProvider extends AutoCloseable {

    /** A short, stable name written into every stored value so the right provider is found on read. */
    String name();

    /** Identifies the current KEK version; a change means new writes use a new seed. */
    String currentKeyId();

    WrappedSeed wrap(byte[] seed);

    /** @throws DecryptionException if the KEK named by {@code wrapped.keyId()} is not available */
    byte[] unwrap(WrappedSeed wrapped);

    @Override
    default void close() {}

    /** A seed encrypted under the KEK {@code keyId}, plus provider annotations (as KMS v2 returns them). */
    record WrappedSeed(String keyId, byte[] ciphertext, Map<String, byte[]> annotations) {}
}
