package dev.strongroom.crypto;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Unwrapped seeds by wrapped seed, so reading a value costs a KEK unwrap (possibly a KMS or HSM round trip) only the
 * first time its seed is seen, as upstream's KMS v2 cache does. It holds key material ({@link DekSource}), never a
 * secret value: the conventions forbid caching decrypted secrets, and nothing here can produce one without the stored
 * ciphertext.
 *
 * <p>Entries expire after 24 hours (upstream's TTL), so a KEK revoked in an external KMS stops decrypting within a
 * day even without a restart. The map is bounded; distinct seeds are few (one per key id per server start), so when it
 * is full, expired entries go first and then arbitrary ones. Reads take no lock.
 */
final class SeedCache {

    static final Duration TTL = Duration.ofHours(24);
    static final int MAX_ENTRIES = 1024;

    /** A wrapped seed's identity ({@link EncryptedObject#seedCacheKey()} bytes) with content equality. */
    static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() { return hash; }

        @Override
        public String toString() { return "SeedCache.Key[" + bytes.length + " bytes]"; }
    }

    private record Entry(DekSource source, long expiresAtNanos) {}

    private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final int maxEntries;

    SeedCache(LongSupplier nanoClock, int maxEntries) {
        this.nanoClock = nanoClock;
        this.maxEntries = maxEntries;
    }

    DekSource get(Key key) {
        Entry e = map.get(key);
        if (e == null) return null;
        if (nanoClock.getAsLong() - e.expiresAtNanos >= 0) {
            map.remove(key, e);
            return null;
        }
        return e.source;
    }

    void put(Key key, DekSource source) {
        long now = nanoClock.getAsLong();
        if (map.size() >= maxEntries) evict(now);
        map.put(key, new Entry(source, now + TTL.toNanos()));
    }

    int size() { return map.size(); }

    private void evict(long now) {
        map.values().removeIf(e -> now - e.expiresAtNanos >= 0);
        Iterator<Key> it = map.keySet().iterator();
        while (map.size() >= maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
