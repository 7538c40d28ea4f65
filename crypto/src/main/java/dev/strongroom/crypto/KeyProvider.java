package dev.strongroom.crypto;

import java.util.Map;

/**
 * A key-encryption key (KEK) that wraps and unwraps the seeds data keys are derived from. Implementations: a local
 * key file (default), a Kubernetes KMS v2 plugin over gRPC, a PKCS#11 HSM. The store never sees a provider.
 *
 * <p>Implementations are thread-safe. {@link EnvelopeTransformer} calls {@link #wrap} once per seed (at its first
 * write and after each key id change), {@link #unwrap} once per distinct wrapped seed it reads (then caches), and
 * {@link #currentKeyId} on every read and write, so that one must be cheap: a remote provider returns the key id
 * from its last status poll (KMS v2 polls {@code Status} every minute) and throws only when it has none it trusts;
 * writes then coast on the last good seed for up to 3 minutes, as kube-apiserver does.
 */
public interface KeyProvider extends AutoCloseable {

    /**
     * A short, stable name written into every stored value so the right provider is found on read: printable ASCII
     * without ':' or spaces (upstream's KMS v2 rule). Renaming a provider that protects data makes it unreadable.
     */
    String name();

    /**
     * Identifies the current KEK version; a change means new writes use a new seed. Public (stored in the clear with
     * every value), at most 1 KiB, and never reused for a different key.
     */
    String currentKeyId();

    /**
     * Encrypts {@code seed} under the current KEK. The returned key id must be the one {@link #currentKeyId} reports;
     * ciphertext at most 1 KiB; annotation keys are DNS names (e.g. {@code version.kms.example.com}), stored in the
     * clear, at most 32 KiB in all.
     */
    WrappedSeed wrap(byte[] seed);

    /**
     * Decrypts a seed with the KEK named by {@code wrapped.keyId()}, which may be an old one.
     *
     * @throws DecryptionException if that KEK is not available or the wrapped seed does not authenticate; the message
     *                             names the key id and the problem, never key material
     */
    byte[] unwrap(WrappedSeed wrapped);

    @Override
    default void close() {}

    /** A seed encrypted under the KEK {@code keyId}, plus provider annotations (as KMS v2 returns them). */
    record WrappedSeed(String keyId, byte[] ciphertext, Map<String, byte[]> annotations) {}
}
