package dev.strongroom.crypto;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;

/**
 * Envelope encryption at rest, byte-compatible with kube-apiserver's KMS v2 provider (the KDF mode that is the default
 * since Kubernetes 1.29): values Strongroom writes can be read by a kube-apiserver configured with the same plugin and
 * provider name, and the other way round.
 *
 * <p>Stored format, all lengths in bytes:
 * <pre>
 * "k8s:enc:kms:v2:" providerName ":"                     clear-text prefix naming the scheme and provider
 * protobuf EncryptedObject (see {@link EncryptedObject}):
 *   1 encryptedData          = info(32) || nonce(12) || AES-256-GCM(plaintext) || tag(16)
 *   2 keyID                  = the KEK id that wrapped the seed (public)
 *   3 encryptedDEKSource     = the seed, wrapped by the KeyProvider
 *   4 annotations            = provider metadata (public)
 *   5 encryptedDEKSourceType = 1 (HKDF_SHA256_XNONCE_AES_GCM_SEED)
 *
 * data key  = HKDF-Expand(SHA-256, PRK = seed, info, 32)   (no Extract: the 32-byte seed is already uniform)
 *           = HMAC-SHA256(seed, info || 0x01)
 * AAD       = the object's store key, e.g. "/registry/secrets/default/db-password"
 * </pre>
 * A random info, hence a fresh data key, per value means the random 96-bit GCM nonce never needs a usage limit; the
 * seed is wrapped once per process and key id (see {@link WriteSeeds}), and unwrapped seeds are cached by their
 * wrapped form (see {@link SeedCache}), so the KEK is touched rarely. Values of the legacy type 0 (the seed is the data
 * key; {@code encryptedData = nonce || ciphertext || tag}), written by Kubernetes 1.27 and 1.28, are read and reported
 * stale; this class never writes them.
 *
 * <p>A value is stale when its key id is not the provider's current one or it is of the legacy type: a rewrite then
 * re-encrypts it under the current KEK. Thread-safe; no lock on the read or write path.
 */
public final class EnvelopeTransformer implements ValueTransformer {

    /** Every KMS v2 value starts with this, followed by the provider name and a colon. */
    public static final String KMS_V2_PREFIX = "k8s:enc:kms:v2:";

    private static final DekSourceType SEED_TYPE = DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED;
    private static final int RANDOM_SIZE = DekSource.INFO_SIZE + AesGcm.NONCE_SIZE;

    private final KeyProvider provider;
    private final String providerName;
    private final byte[] prefix;
    private final SecureRandom random = new SecureRandom();
    private final AesGcm aesGcm = new AesGcm();
    private final SeedCache seeds;
    private final WriteSeeds writeSeeds;

    public EnvelopeTransformer(KeyProvider provider) {
        this(provider, System::nanoTime);
    }

    /** For tests: {@code nanoClock} drives the seed cache TTL and the provider-failure grace period. */
    EnvelopeTransformer(KeyProvider provider, LongSupplier nanoClock) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.providerName = validateProviderName(provider.name());
        this.prefix = (KMS_V2_PREFIX + providerName + ":").getBytes(StandardCharsets.US_ASCII);
        this.seeds = new SeedCache(nanoClock, SeedCache.MAX_ENTRIES);
        this.writeSeeds = new WriteSeeds(provider, random, nanoClock);
    }

    /** The clear-text prefix of every value this transformer writes, e.g. {@code k8s:enc:kms:v2:local:}. */
    public String prefix() {
        return new String(prefix, StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] transformToStorage(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        WriteSeeds.WriteSeed seed = writeSeeds.current();

        // One exact allocation: prefix, field 1 (tag, length, info, nonce, ciphertext, tag), then fields 2-5.
        int dataLength = RANDOM_SIZE + plaintext.length + AesGcm.TAG_SIZE;
        int dataOffset = prefix.length + 1 + EncryptedObject.varintSize(dataLength);
        byte[] out = new byte[dataOffset + dataLength + seed.header().length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int pos = EncryptedObject.writeTag(out, prefix.length, EncryptedObject.FIELD_ENCRYPTED_DATA, 2);
        EncryptedObject.writeVarint(out, pos, dataLength);

        byte[] infoAndNonce = new byte[RANDOM_SIZE];
        random.nextBytes(infoAndNonce);
        System.arraycopy(infoAndNonce, 0, out, dataOffset, RANDOM_SIZE);
        SecretKey dataKey = seed.source().dataKey(out, dataOffset);
        aesGcm.seal(dataKey, out, dataOffset + DekSource.INFO_SIZE, associatedData, plaintext,
                out, dataOffset + RANDOM_SIZE);
        System.arraycopy(seed.header(), 0, out, dataOffset + dataLength, seed.header().length);
        return out;
    }

    @Override
    public FromStorage transformFromStorage(byte[] stored, byte[] associatedData) {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(associatedData, "associatedData");
        if (!Arrays.equals(stored, 0, Math.min(stored.length, prefix.length), prefix, 0, prefix.length)) {
            // Never echo what the value does start with: an unencrypted value would be the secret itself.
            throw new DecryptionException("stored value does not start with " + prefix() + ": it was not written by"
                    + " KMS v2 provider " + LogSafe.quote(providerName));
        }
        EncryptedObject object = EncryptedObject.decode(stored, prefix.length, stored.length - prefix.length);
        SeedCache.Key cacheKey = new SeedCache.Key(object.seedCacheKey());
        DekSource source = sourceFor(object, cacheKey);

        byte[] data = object.encryptedData();
        int nonceOffset = source.infoSize();
        int ciphertextOffset = nonceOffset + AesGcm.NONCE_SIZE;
        if (data.length < ciphertextOffset + AesGcm.TAG_SIZE) {
            throw new DecryptionException("the stored data was shorter than the required size");
        }
        byte[] plaintext;
        try {
            plaintext = aesGcm.open(source.dataKey(data, 0), data, nonceOffset, ciphertextOffset,
                    data.length - ciphertextOffset, associatedData);
        } catch (DecryptionException e) {
            throw new DecryptionException(e.getMessage() + " (KMS v2 provider " + LogSafe.quote(providerName)
                    + ", key id " + LogSafe.quote(object.keyId()) + ")", e);
        }
        return new FromStorage(plaintext, isStale(object));
    }

    private DekSource sourceFor(EncryptedObject object, SeedCache.Key cacheKey) {
        WriteSeeds.WriteSeed current = writeSeeds.peek();
        if (current != null && current.cacheKey().equals(cacheKey)) return current.source();
        DekSource cached = seeds.get(cacheKey);
        if (cached != null) return cached;

        byte[] unwrapped;
        try {
            unwrapped = provider.unwrap(new KeyProvider.WrappedSeed(object.keyId(), object.encryptedDekSource(),
                    object.annotations()));
        } catch (DecryptionException e) {
            throw new DecryptionException("KMS v2 provider " + LogSafe.quote(providerName)
                    + " cannot unwrap the seed of key id " + LogSafe.quote(object.keyId()) + ": " + e.getMessage(), e);
        }
        if (unwrapped == null) {
            throw new DecryptionException("KMS v2 provider " + LogSafe.quote(providerName)
                    + " returned nothing for the seed of key id " + LogSafe.quote(object.keyId()));
        }
        DekSource source = DekSource.of(object.dekSourceType(), unwrapped);
        seeds.put(cacheKey, source);
        return source;
    }

    private boolean isStale(EncryptedObject object) {
        if (object.dekSourceType() != SEED_TYPE) return true;
        String current = writeSeeds.currentKeyIdForReads();
        return current != null && !current.equals(object.keyId());
    }

    private static String validateProviderName(String name) {
        Objects.requireNonNull(name, "provider name");
        // Upstream forbids ':' (it ends the prefix); printable ASCII keeps the clear-text prefix unambiguous.
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ':')) {
            throw new IllegalArgumentException("KMS v2 provider name must be non-empty printable ASCII without ':' or"
                    + " spaces: " + LogSafe.quote(name));
        }
        return name;
    }

    @Override
    public String toString() {
        return "EnvelopeTransformer[" + prefix() + "]";
    }
}
