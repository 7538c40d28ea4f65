package dev.strongroom.crypto;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which wrapped seed new values are encrypted under, by kube-apiserver's KMS v2 rules
 * ({@code rotateDEKOnKeyIDChange} in {@code encryptionconfig/config.go}):
 * <ul>
 *   <li>a fresh random seed per process, wrapped once by the KEK: one provider call per seed, not per write;</li>
 *   <li>a new seed as soon as the provider's current key id changes, and the wrap must come back under that key id;</li>
 *   <li>if the provider fails (key id lookup or wrap), writes keep using the last good seed for at most 3 minutes
 *       ({@code kmsv2PluginWriteDEKSourceMaxTTL}), retrying at most every 10 seconds, and then fail. Reads are never
 *       affected: they only need the KEK that wrapped their own seed.</li>
 * </ul>
 * Unlike upstream, a new wrapped seed is unwrapped once before first use, so a provider that cannot read back what it
 * wrapped is caught before any value depends on it.
 *
 * <p>The hot path is one {@code currentKeyId()} call and a volatile read; only rotation takes a lock, and while one
 * thread rotates, others keep writing under the previous seed rather than queueing behind a KMS round trip.
 */
final class WriteSeeds {

    static final Duration MAX_COAST = Duration.ofMinutes(3);
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    private static final long HEALTHY = Long.MAX_VALUE;
    private static final DekSourceType SEED_TYPE = DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED;
    private static final Logger log = LoggerFactory.getLogger(WriteSeeds.class);

    /** The seed new values use: its unwrapped key material and the encoded EncryptedObject fields 2 to 5. */
    record WriteSeed(String keyId, DekSource source, byte[] header, SeedCache.Key cacheKey) {}

    /** {@code coastUntil == HEALTHY} unless the provider is failing; then writes stop at {@code coastUntil}. */
    private record State(WriteSeed seed, long coastUntil, long retryAt) {
        boolean healthy() { return coastUntil == HEALTHY; }
    }

    private final KeyProvider provider;
    private final SecureRandom random;
    private final LongSupplier nanoClock;
    private final ReentrantLock rotation = new ReentrantLock(); // not synchronized: a wrap may block a virtual thread
    private volatile State state;
    /** Before any seed exists, failures are remembered so that writes fail fast instead of each awaiting a wrap. */
    private RuntimeException noSeedFailure; // guarded by rotation
    private long noSeedRetryAt;             // guarded by rotation

    WriteSeeds(KeyProvider provider, SecureRandom random, LongSupplier nanoClock) {
        this.provider = provider;
        this.random = random;
        this.nanoClock = nanoClock;
    }

    /** The seed to encrypt a new value under. */
    WriteSeed current() {
        State s = state;
        if (s != null && !s.healthy() && nanoClock.getAsLong() - s.retryAt < 0) return usable(s);
        String keyId;
        try {
            keyId = provider.currentKeyId();
        } catch (RuntimeException e) {
            return failed(e);
        }
        if (s != null && s.healthy() && s.seed.keyId().equals(keyId)) return s.seed;
        return rotate(s, keyId);
    }

    /** The seed in use, without consulting the provider; null before the first write. */
    WriteSeed peek() {
        State s = state;
        return s == null ? null : s.seed;
    }

    /** The key id a value must carry to be current: the provider's, or while it is failing, the one being written. */
    String currentKeyIdForReads() {
        try {
            return provider.currentKeyId();
        } catch (RuntimeException e) {
            WriteSeed s = peek();
            return s == null ? null : s.keyId();
        }
    }

    private WriteSeed rotate(State seen, String keyId) {
        if (seen == null) {
            rotation.lock(); // the first write has nothing to fall back on: wait for the seed
        } else if (!rotation.tryLock()) {
            return usable(seen); // another thread is rotating; the previous seed stays valid meanwhile
        }
        try {
            State s = state;
            if (s != null && s.seed.keyId().equals(keyId)) {
                if (!s.healthy()) {
                    log.info("KMS v2 provider {} is healthy again under key id {}", provider.name(),
                            LogSafe.quote(keyId));
                    state = s = new State(s.seed, HEALTHY, 0);
                }
                return s.seed;
            }
            if (s != null && !s.healthy() && nanoClock.getAsLong() - s.retryAt < 0) return usable(s);
            if (s == null && noSeedFailure != null && nanoClock.getAsLong() - noSeedRetryAt < 0) {
                throw noSeed(noSeedFailure);
            }
            WriteSeed fresh;
            try {
                fresh = generate(keyId);
            } catch (RuntimeException e) {
                return failedLocked(e);
            }
            state = new State(fresh, HEALTHY, 0);
            noSeedFailure = null;
            log.info("KMS v2 provider {}: new values use a new seed wrapped under key id {}", provider.name(),
                    LogSafe.quote(fresh.keyId()));
            return fresh;
        } finally {
            rotation.unlock();
        }
    }

    private WriteSeed generate(String keyId) {
        byte[] seed = new byte[DekSource.SEED_SIZE];
        random.nextBytes(seed);
        try {
            KeyProvider.WrappedSeed wrapped = provider.wrap(seed.clone());
            if (wrapped == null || wrapped.keyId() == null || wrapped.ciphertext() == null) {
                throw new IllegalStateException("KMS v2 provider " + provider.name() + " returned no wrapped seed");
            }
            if (!wrapped.keyId().equals(keyId) && !wrapped.keyId().equals(provider.currentKeyId())) {
                // Upstream discards such a wrap: the data would be labelled with a key id the provider does not
                // report, so staleness (and rotation) could never converge. A rotation between our two calls is fine.
                throw new IllegalStateException("KMS v2 provider " + provider.name() + " wrapped the seed under key id "
                        + LogSafe.quote(wrapped.keyId()) + " but reports " + LogSafe.quote(keyId) + " as current");
            }
            Map<String, byte[]> annotations = new LinkedHashMap<>();
            if (wrapped.annotations() != null) wrapped.annotations().forEach((k, v) -> annotations.put(k, v.clone()));
            byte[] ciphertext = wrapped.ciphertext().clone();
            byte[] header;
            try {
                header = EncryptedObject.encodeHeader(wrapped.keyId(), ciphertext, annotations, SEED_TYPE);
            } catch (DecryptionException e) {
                throw new IllegalStateException("KMS v2 provider " + provider.name()
                        + " returned a wrapped seed Kubernetes would reject: " + e.getMessage());
            }
            byte[] readBack = provider.unwrap(new KeyProvider.WrappedSeed(wrapped.keyId(), ciphertext.clone(),
                    Map.copyOf(annotations)));
            boolean same = readBack != null && MessageDigest.isEqual(readBack, seed);
            if (readBack != null) Arrays.fill(readBack, (byte) 0);
            if (!same) {
                throw new IllegalStateException("KMS v2 provider " + provider.name()
                        + " did not unwrap the seed it had just wrapped under key id " + LogSafe.quote(wrapped.keyId()));
            }
            SeedCache.Key cacheKey = new SeedCache.Key(
                    EncryptedObject.seedCacheKey(SEED_TYPE, ciphertext, wrapped.keyId(), annotations));
            return new WriteSeed(wrapped.keyId(), DekSource.of(SEED_TYPE, seed.clone()), header, cacheKey);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private WriteSeed failed(RuntimeException cause) {
        rotation.lock();
        try {
            return failedLocked(cause);
        } finally {
            rotation.unlock();
        }
    }

    /** Starts or continues coasting on the current seed; throws once there is none or the grace period is over. */
    private WriteSeed failedLocked(RuntimeException cause) {
        State s = state;
        if (s == null) {
            noSeedFailure = cause;
            noSeedRetryAt = nanoClock.getAsLong() + RETRY_INTERVAL.toNanos();
            throw noSeed(cause);
        }
        long now = nanoClock.getAsLong();
        long coastUntil = s.healthy() ? now + MAX_COAST.toNanos() : s.coastUntil;
        if (s.healthy()) {
            log.warn("KMS v2 provider {} failed; writes continue under key id {} for at most {}: {}",
                    provider.name(), LogSafe.quote(s.seed.keyId()), MAX_COAST, cause.toString());
        }
        state = s = new State(s.seed, coastUntil, now + RETRY_INTERVAL.toNanos());
        if (now - coastUntil >= 0) throw coastExpired(cause);
        return s.seed;
    }

    private WriteSeed usable(State s) {
        if (!s.healthy() && nanoClock.getAsLong() - s.coastUntil >= 0) throw coastExpired(null);
        return s.seed;
    }

    private IllegalStateException noSeed(RuntimeException cause) {
        return new IllegalStateException("cannot encrypt: KMS v2 provider " + provider.name()
                + " has not provided a key yet: " + cause.getMessage(), cause);
    }

    private IllegalStateException coastExpired(Throwable cause) {
        return new IllegalStateException("cannot encrypt: KMS v2 provider " + provider.name() + " has been failing for"
                + " more than " + MAX_COAST + "; writes resume when it recovers", cause);
    }
}
