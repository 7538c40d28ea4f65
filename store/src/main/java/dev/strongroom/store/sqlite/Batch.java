package dev.strongroom.store.sqlite;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.TxnResult;
import dev.strongroom.store.WatchEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the writes of one group commit, in queue order, as if each had been committed alone: every op sees the
 * committed state plus the earlier ops of the batch, and each op that succeeds gets the next revision (one revision
 * per transaction, as in etcd). A failed precondition affects only its own op.
 *
 * <p>Nothing here touches shared state: the batch keeps its changes in a private overlay, so if the commit fails
 * the batch is simply dropped.
 */
final class Batch {

    private final LatestState committed;
    /** Each key written by this batch and its state after the batch's latest write to it (null if deleted). */
    private final Map<String, KeyValue> overlay = new LinkedHashMap<>();
    /** One event per successful op, in revision order; these are also the rows to insert. */
    private final List<WatchEvent> events = new ArrayList<>();
    private long revision;

    Batch(LatestState committed) {
        this.committed = committed;
        this.revision = committed.revision();
    }

    TxnResult put(String key, byte[] value, long expectedModRevision) {
        KeyValue previous = current(key);
        if (!preconditionHolds(previous, expectedModRevision)) {
            return new TxnResult(false, revision, previous, null);
        }
        long rev = ++revision;
        KeyValue written = previous == null
                ? new KeyValue(key, value, rev, rev, 1)
                : new KeyValue(key, value, previous.createRevision(), rev, previous.version() + 1);
        overlay.put(key, written);
        events.add(new WatchEvent(WatchEvent.Type.PUT, written, previous));
        return new TxnResult(true, rev, written, previous);
    }

    TxnResult delete(String key, long expectedModRevision) {
        KeyValue previous = current(key);
        // Deleting a key that does not exist fails whatever the precondition, as in the Kubernetes registry.
        if (previous == null || !preconditionHolds(previous, expectedModRevision)) {
            return new TxnResult(false, revision, previous, null);
        }
        long rev = ++revision;
        overlay.put(key, null);
        events.add(new WatchEvent(WatchEvent.Type.DELETE, LogReader.tombstone(key, rev), previous));
        return new TxnResult(true, rev, null, previous);
    }

    /** The revision of the batch's last successful write (the committed revision if none succeeded). */
    long revision() {
        return revision;
    }

    /** The rows to insert and the events to publish, in revision order. Empty if every precondition failed. */
    List<WatchEvent> events() {
        return events;
    }

    /** The final state of every key the batch wrote (null for deleted), for {@link LatestState#apply}. */
    Map<String, KeyValue> changes() {
        return overlay;
    }

    private KeyValue current(String key) {
        return overlay.containsKey(key) ? overlay.get(key) : committed.get(key);
    }

    private static boolean preconditionHolds(KeyValue current, long expectedModRevision) {
        if (expectedModRevision == RevisionedStore.ANY) {
            return true;
        }
        if (expectedModRevision == RevisionedStore.ABSENT) {
            return current == null;
        }
        return current != null && current.modRevision() == expectedModRevision;
    }
}
