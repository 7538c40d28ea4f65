package dev.strongroom.store.sqlite;

import dev.strongroom.store.WatchEvent;
import dev.strongroom.store.WatchListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Records what a watch delivers, and lets a test wait for a revision or for the watch to close. */
class CollectingListener implements WatchListener {

    private final List<WatchEvent> events = new ArrayList<>();
    private final Set<String> threads = new LinkedHashSet<>();
    private String closedReason;

    @Override
    public synchronized void onEvents(List<WatchEvent> batch) {
        events.addAll(batch);
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    @Override
    public synchronized void onClosed(String reason) {
        closedReason = reason;
        notifyAll();
    }

    synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<Long> revisions() {
        return events.stream().map(WatchEvent::revision).toList();
    }

    synchronized Set<String> threads() {
        return Set.copyOf(threads);
    }

    synchronized String closedReason() {
        return closedReason;
    }

    /** Waits until an event with revision {@code revision} or later has arrived; returns everything so far. */
    synchronized List<WatchEvent> awaitRevision(long revision) throws InterruptedException {
        long deadline = System.nanoTime() + TestSupport.DEADLINE.toNanos();
        while (events.isEmpty() || events.getLast().revision() < revision) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closedReason != null) {
                throw new AssertionError("watch did not reach revision " + revision + "; got " + revisions()
                        + (closedReason != null ? ", closed: " + closedReason : ""));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(events);
    }

    synchronized String awaitClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TestSupport.DEADLINE.toNanos();
        while (closedReason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("watch was not closed; got " + revisions());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return closedReason;
    }
}
