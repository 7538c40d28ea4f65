package dev.strongroom.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869). JDK 21 has no {@code javax.crypto.KDF}, and the algorithm is two loops over HMAC,
 * so it is written here rather than pulled in from a library.
 *
 * <p>KMS v2 uses Expand only: the seed is already uniformly random, so it serves as the pseudo-random key directly
 * (upstream calls {@code hkdf.Expand(sha256.New, seed, info)}, no Extract and no salt). {@link #extract} exists for
 * completeness and so the implementation can be checked against the RFC's test vectors.
 */
final class Hkdf {

    static final String HMAC_SHA256 = "HmacSHA256";
    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /** HKDF-Extract: {@code PRK = HMAC(salt, ikm)}; an empty salt means HashLen zero bytes, as the RFC says. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        Mac mac = keyedMac(salt.length == 0 ? new byte[HASH_LEN] : salt);
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand of {@code length} bytes from a pseudo-random key. */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        return expand(keyedMac(prk), info, 0, info.length, length);
    }

    /**
     * HKDF-Expand with a MAC already keyed with the PRK. The MAC is cloned, never updated, so one keyed prototype per
     * seed can be shared by all threads: keying HMAC is most of its cost for inputs this short.
     */
    static byte[] expand(Mac keyedPrk, byte[] info, int infoOffset, int infoLength, int length) {
        if (length <= 0 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + 255 * HASH_LEN);
        }
        byte[] okm = new byte[length];
        byte[] t = new byte[0];
        int written = 0;
        try {
            for (int counter = 1; written < length; counter++) {
                Mac mac = (Mac) keyedPrk.clone();
                mac.update(t);
                mac.update(info, infoOffset, infoLength);
                mac.update((byte) counter);
                t = mac.doFinal();
                int n = Math.min(t.length, length - written);
                System.arraycopy(t, 0, okm, written, n);
                written += n;
            }
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
        Arrays.fill(t, (byte) 0);
        return okm;
    }

    /** An HMAC-SHA256 keyed with {@code key}; callers clone it per use rather than sharing its state. */
    static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }
}
