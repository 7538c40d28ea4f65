package dev.strongroom.store.sqlite;

import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchListener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watch: its prefix, its listener and a cursor into the global revision log. Every revision is one event, so a
 * single number says exactly what the watcher has seen; replay and live delivery both just advance the cursor, which
 * is why the handoff between them can neither skip nor repeat an event. Only the notifier thread advances it.
 */
final class Watcher implements Watch {

    private final WatchHub hub;
    private final String prefix;
    private final WatchListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Every matching event with a revision up to here has been handed to the listener. */
    private volatile long cursor;

    Watcher(WatchHub hub, String prefix, long afterRevision, WatchListener listener) {
        this.hub = hub;
        this.prefix = prefix;
        this.listener = listener;
        this.cursor = afterRevision;
    }

    @Override
    public long progressRevision() {
        // A watch started from a future revision has not "seen" revisions that do not exist yet.
        return Math.min(cursor, hub.published());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            hub.remove(this);
        }
    }

    String prefix() {
        return prefix;
    }

    WatchListener listener() {
        return listener;
    }

    boolean matches(String key) {
        return key.startsWith(prefix);
    }

    long cursor() {
        return cursor;
    }

    void advanceTo(long revision) {
        cursor = revision;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Ends the watch from the store's side and tells the listener why (at most once, never after close()). */
    boolean cancel() {
        if (closed.compareAndSet(false, true)) {
            hub.remove(this);
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "Watch[" + prefix + ", cursor=" + cursor + (isClosed() ? ", closed" : "") + "]";
    }
}
