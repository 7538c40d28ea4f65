package dev.strongroom.store.sqlite;

import dev.strongroom.store.WatchEvent;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent events, indexed by revision, so that watchers that keep up never read SQLite. Every revision is
 * exactly one event, so revision {@code r} lives in slot {@code r mod capacity} until revision
 * {@code r + capacity} overwrites it. The writer thread appends; any thread reads.
 */
final class EventRing {

    private final AtomicReferenceArray<WatchEvent> slots;

    EventRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void append(WatchEvent event) {
        slots.set(slot(event.revision()), event);
    }

    /** The event of {@code revision}, or null if it has not been appended or has already been overwritten. */
    WatchEvent get(long revision) {
        WatchEvent event = slots.get(slot(revision));
        return event != null && event.revision() == revision ? event : null;
    }

    private int slot(long revision) {
        return (int) Math.floorMod(revision, (long) slots.length());
    }
}
