package dev.strongroom.crypto;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unwrapped plaintext of one {@code encryptedDEKSource}, prepared so that each value's data key costs one HMAC:
 * for a seed, an HMAC-SHA256 already keyed with it (the HKDF pseudo-random key); for a legacy data key, the AES key.
 * This is key material, never a secret value; it lives in {@link SeedCache} and in the current write seed.
 */
final class DekSource {

    /** Upstream's {@code MinSeedSizeExtendedNonceGCM}; also the size of the per-value info and of derived keys. */
    static final int SEED_SIZE = 32;
    static final int INFO_SIZE = 32;
    private static final int DERIVED_KEY_SIZE = 32;

    private final DekSourceType type;
    private final Mac seedHmac;       // HKDF_SHA256_XNONCE_AES_GCM_SEED
    private final SecretKey dataKey;  // AES_GCM_KEY

    private DekSource(DekSourceType type, Mac seedHmac, SecretKey dataKey) {
        this.type = type;
        this.seedHmac = seedHmac;
        this.dataKey = dataKey;
    }

    /** Takes ownership of {@code plaintext} and wipes it once the key material is built. */
    static DekSource of(DekSourceType type, byte[] plaintext) {
        try {
            return switch (type) {
                case HKDF_SHA256_XNONCE_AES_GCM_SEED -> {
                    if (plaintext.length < SEED_SIZE) {
                        throw new DecryptionException("unwrapped seed is " + plaintext.length + " bytes; at least "
                                + SEED_SIZE + " are required");
                    }
                    yield new DekSource(type, Hkdf.keyedMac(plaintext), null);
                }
                case AES_GCM_KEY -> {
                    if (plaintext.length != 16 && plaintext.length != 24 && plaintext.length != 32) {
                        throw new DecryptionException("unwrapped data key is " + plaintext.length
                                + " bytes; AES needs 16, 24 or 32");
                    }
                    yield new DekSource(type, null, new SecretKeySpec(plaintext, "AES"));
                }
            };
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    DekSourceType type() { return type; }

    /** Bytes at the start of {@code encryptedData} that are KDF input rather than nonce or ciphertext. */
    int infoSize() {
        return type == DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED ? INFO_SIZE : 0;
    }

    /** The AES key of the value whose {@code encryptedData} starts at {@code offset} in {@code buf}. */
    SecretKey dataKey(byte[] buf, int offset) {
        if (type == DekSourceType.AES_GCM_KEY) return dataKey;
        byte[] derived = Hkdf.expand(seedHmac, buf, offset, INFO_SIZE, DERIVED_KEY_SIZE);
        try {
            return new SecretKeySpec(derived, "AES");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "DekSource[" + type + "]";
    }
}
