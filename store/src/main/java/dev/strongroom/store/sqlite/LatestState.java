package dev.strongroom.store.sqlite;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The latest committed state, in memory: every live key, the current revision and the compacted revision. Reads at
 * the current revision are served from here without touching SQLite. Only the writer thread changes it, and only
 * after the change is durable.
 *
 * <p>A range must be a snapshot: exactly the writes up to the revision it reports. The writer applies a whole batch
 * under a {@link StampedLock} write lock; a range first scans optimistically (no lock, which is safe because the
 * skip list's iterators tolerate concurrent change) and keeps the result only if no batch was applied meanwhile,
 * otherwise it scans again under the read lock. A single-key {@link #get} needs no lock at all.
 */
final class LatestState {

    private final ConcurrentSkipListMap<String, KeyValue> live;
    private final StampedLock lock = new StampedLock();
    private volatile long revision;
    private volatile long compactedRevision;

    LatestState(Map<String, KeyValue> live, long revision, long compactedRevision) {
        this.live = new ConcurrentSkipListMap<>(live);
        this.revision = revision;
        this.compactedRevision = compactedRevision;
    }

    long revision() {
        return revision;
    }

    long compactedRevision() {
        return compactedRevision;
    }

    KeyValue get(String key) {
        return live.get(key);
    }

    /**
     * The live keys in {@code [fromKey, endKey)} at the current revision.
     *
     * @param endKey null for no upper bound
     * @param limit  0 for no limit
     */
    RangeResult range(String fromKey, String endKey, int limit) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            RangeResult result = scan(fromKey, endKey, limit);
            if (lock.validate(stamp)) {
                return result;
            }
        }
        stamp = lock.readLock();
        try {
            return scan(fromKey, endKey, limit);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Applies a committed batch. {@code changes} maps each key written to its final state in the batch (null if
     * deleted).
     */
    void apply(Map<String, KeyValue> changes, long newRevision) {
        long stamp = lock.writeLock();
        try {
            changes.forEach((key, kv) -> {
                if (kv == null) {
                    live.remove(key);
                } else {
                    live.put(key, kv);
                }
            });
            revision = newRevision;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    void compacted(long newCompactedRevision) {
        compactedRevision = newCompactedRevision;
    }

    private RangeResult scan(String fromKey, String endKey, int limit) {
        long at = revision;
        if (endKey != null && fromKey.compareTo(endKey) >= 0) {
            return new RangeResult(List.of(), at, 0);
        }
        NavigableMap<String, KeyValue> range = endKey == null
                ? live.tailMap(fromKey, true)
                : live.subMap(fromKey, true, endKey, false);
        List<KeyValue> kvs = new ArrayList<>(limit == 0 ? 16 : Math.min(limit, 1024));
        long remaining = 0;
        for (KeyValue kv : range.values()) {
            if (limit == 0 || kvs.size() < limit) {
                kvs.add(kv);
            } else {
                remaining++;
            }
        }
        return new RangeResult(Collections.unmodifiableList(kvs), at, remaining);
    }
}
