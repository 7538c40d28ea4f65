package dev.strongroom.store.sqlite;

import dev.strongroom.store.CompactedException;
import dev.strongroom.store.StoreException;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchEvent;
import dev.strongroom.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to watchers from one notifier thread. The writer only appends to a ring of recent events and
 * bumps {@link #published()}, so a slow listener can never hold up a commit. The notifier then moves each watcher's
 * cursor towards {@code published}: from the ring when the watcher is close behind, from SQLite when it is further
 * back (a history replay). Both paths read one totally ordered log, so a watcher gets every matching revision once,
 * in order, whether it came from history or live.
 *
 * <p>A watcher that falls behind costs no memory here: it is simply served from SQLite until it catches up. Listeners
 * are called on the notifier thread and must not block (see {@link WatchListener}); one that throws is cancelled.
 */
final class WatchHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

    /** At most this many revisions go to one watcher per round, so a long replay cannot starve live watchers. */
    static final int PAGE_REVISIONS = 1_000;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EventRing recent;
    private final ReaderPool readers;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final Thread notifier;
    /** Every event up to this revision is in SQLite and (if recent) in the ring. */
    private volatile long published;
    private volatile boolean signalled;
    private volatile boolean stopping;

    WatchHub(ReaderPool readers, int recentEvents, long currentRevision) {
        this.recent = new EventRing(recentEvents);
        this.readers = readers;
        this.published = currentRevision;
        this.notifier = Thread.ofPlatform().name("strongroom-store-notifier").daemon(true).unstarted(this::run);
    }

    void start() {
        notifier.start();
    }

    long published() {
        return published;
    }

    Watch watch(String prefix, long afterRevision, WatchListener listener) {
        Watcher watcher = new Watcher(this, prefix, afterRevision, listener);
        watchers.add(watcher);
        if (stopping) {
            watcher.cancel();
            throw new StoreException("store is closed");
        }
        signal();
        return watcher;
    }

    void remove(Watcher watcher) {
        watchers.remove(watcher);
    }

    /** Called by the writer thread with the events of a durable batch, in revision order. */
    void publish(List<WatchEvent> events) {
        for (WatchEvent event : events) {
            recent.append(event);
        }
        // The volatile write comes after the ring writes, so whoever sees the new revision also sees its events.
        published = events.getLast().revision();
        signal();
    }

    /** Stops the notifier; every open watch gets {@code onClosed}. */
    @Override
    public void close() {
        stopping = true;
        signal();
        if (Thread.currentThread() == notifier) {
            return; // a listener closed the store: the notifier stops once that listener returns
        }
        try {
            if (!notifier.join(STOP_TIMEOUT)) {
                log.warn("watch notifier did not stop within {}; a listener is blocking", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal() {
        signalled = true;
        LockSupport.unpark(notifier);
    }

    private void run() {
        while (!stopping) {
            awaitSignal();
            // Loop until every watcher is caught up: a signal that arrives meanwhile is seen by the next round.
            boolean behind = true;
            while (behind && !stopping) {
                behind = false;
                for (Watcher watcher : watchers) {
                    behind |= deliverNextPage(watcher);
                }
            }
        }
        for (Watcher watcher : watchers) {
            cancel(watcher, "store closed");
        }
    }

    private void awaitSignal() {
        while (!signalled && !stopping) {
            LockSupport.park(this);
        }
        signalled = false;
    }

    /** Hands the watcher its next page of events; returns whether it is still behind afterwards. */
    private boolean deliverNextPage(Watcher watcher) {
        long target = published;
        long after = watcher.cursor();
        if (after >= target || watcher.isClosed()) {
            return false;
        }
        long upTo = Math.min(target, after + PAGE_REVISIONS);
        List<WatchEvent> events;
        try {
            events = collect(watcher, after, upTo);
        } catch (CompactedException e) {
            cancel(watcher, e.getMessage());
            return false;
        } catch (StoreException e) {
            log.warn("cannot read watch history for prefix {}; cancelling the watch", watcher.prefix(), e);
            cancel(watcher, "reading history failed");
            return false;
        }
        if (!events.isEmpty()) {
            try {
                watcher.listener().onEvents(Collections.unmodifiableList(events));
            } catch (RuntimeException e) {
                // Only the exception's class: its message could quote whatever the listener was handling.
                log.warn("watch listener for prefix {} threw {}; cancelling the watch",
                        watcher.prefix(), e.getClass().getName());
                cancel(watcher, "listener failed: " + e.getClass().getName());
                return false;
            }
        }
        watcher.advanceTo(upTo);
        return upTo < target;
    }

    /** The watcher's events in {@code (after, upTo]}: from the ring while it has them, then from SQLite. */
    private List<WatchEvent> collect(Watcher watcher, long after, long upTo) {
        List<WatchEvent> events = new ArrayList<>();
        long next = after + 1;
        for (; next <= upTo; next++) {
            WatchEvent event = recent.get(next);
            if (event == null) {
                break; // older than the ring (or just overwritten): the rest comes from SQLite
            }
            if (watcher.matches(event.kv().key())) {
                events.add(event);
            }
        }
        if (next <= upTo) {
            long from = next - 1;
            events.addAll(readers.read(c -> LogReader.events(c, watcher.prefix(), from, upTo)));
        }
        return events;
    }

    private static void cancel(Watcher watcher, String reason) {
        if (!watcher.cancel()) {
            return;
        }
        try {
            watcher.listener().onClosed(reason);
        } catch (RuntimeException e) {
            log.warn("watch listener for prefix {} threw {} from onClosed", watcher.prefix(), e.getClass().getName());
        }
    }
}
