package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ABSENT;
import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.sqlite.TestSupport.awaitUntil;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.StoreException;
import dev.strongroom.store.TxnResult;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches: history replay, the handoff to live events, prevKv, progress, and how watches end. */
class WatchTest {

    @TempDir Path dir;

    /** Writes on many threads; the results are the reference for what a watch must deliver. */
    record Writes(List<TxnResult> applied) {
        static Writes concurrently(SqliteStore store, int writers, int each, String prefix, CountDownLatch progress)
                throws InterruptedException {
            Queue<TxnResult> applied = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(writer);
                    for (int i = 0; i < each; i++) {
                        String key = prefix + (char) ('a' + random.nextInt(3)) + "/" + random.nextInt(10);
                        TxnResult r = random.nextInt(4) == 0
                                ? store.delete(key, ANY)
                                : store.put(key, bytes("w" + writer + "-" + i), ANY);
                        if (r.succeeded()) {
                            applied.add(r);
                        }
                        progress.countDown();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return new Writes(applied.stream().sorted(Comparator.comparingLong(TxnResult::revision)).toList());
        }

        /** The events a watch on {@code prefix} after {@code after} must deliver, as text. */
        List<String> expectedEvents(String prefix, long after) {
            return applied.stream()
                    .filter(r -> r.revision() > after && key(r).startsWith(prefix))
                    .map(r -> r.current() != null
                            ? describe(new WatchEvent(WatchEvent.Type.PUT, r.current(), r.previous()))
                            : describe(new WatchEvent(WatchEvent.Type.DELETE,
                                    new KeyValue(key(r), null, 0, r.revision(), 0), r.previous())))
                    .toList();
        }

        private static String key(TxnResult r) {
            return r.current() != null ? r.current().key() : r.previous().key();
        }
    }

    @Test
    void replayHandsOffToLiveEventsWithoutGapOrDuplicate() throws Exception {
        // A tiny ring of recent events, so the replay comes partly from SQLite, partly from memory, then live.
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"), 16)) {
            for (int i = 0; i < 300; i++) {
                store.put("/w/a/" + (i % 7), bytes("early " + i), ANY);
            }
            CollectingListener all = new CollectingListener();
            CollectingListener onlyB = new CollectingListener();
            CountDownLatch someLiveWrites = new CountDownLatch(200);

            // Start the watches while the writers are busy: history up to now, live after, no seam in between.
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    someLiveWrites.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                store.watch("/w/", 100, all);
                store.watch("/w/b/", 250, onlyB);
            });
            Writes writes = Writes.concurrently(store, 8, 150, "/w/", someLiveWrites);
            watcher.join();
            long last = store.currentRevision();

            List<WatchEvent> received = all.awaitRevision(last);
            assertThat(received).extracting(WatchEvent::revision)
                    .containsExactlyElementsOf(LongStream.rangeClosed(101, last).boxed().toList());
            List<String> expectedAll = new ArrayList<>();
            for (long r = 101; r <= 300; r++) {
                int i = (int) r - 1;
                expectedAll.add("PUT /w/a/" + (i % 7)); // the early writes, checked by key only
            }
            assertThat(received.subList(200, received.size()).stream().map(TestSupport::describe).toList())
                    .isEqualTo(writes.expectedEvents("/w/", 300));
            assertThat(received.subList(0, 200).stream().map(e -> e.type() + " " + e.kv().key()).toList())
                    .isEqualTo(expectedAll);

            List<String> expectedB = writes.expectedEvents("/w/b/", 250);
            awaitUntil("the /w/b/ watch has seen every revision", () -> onlyB.revisions().size() == expectedB.size());
            assertThat(onlyB.events().stream().map(TestSupport::describe).toList()).isEqualTo(expectedB);

            assertThat(all.threads()).as("listeners run on the notifier, never on the caller's thread")
                    .containsExactly("strongroom-store-notifier");
        }
    }

    @Test
    void deleteEventsCarryTheLastStateAsPrevKv() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            CollectingListener listener = new CollectingListener();
            store.watch("/s/", 0, listener);
            store.put("/s/a", bytes("one"), ABSENT);
            KeyValue last = store.put("/s/a", bytes("two"), ANY).current();
            store.delete("/s/a", ANY);

            List<WatchEvent> events = listener.awaitRevision(3);

            assertThat(events).extracting(WatchEvent::type)
                    .containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
            WatchEvent delete = events.get(2);
            assertThat(describe(delete.kv())).isEqualTo(describe(new KeyValue("/s/a", null, 0, 3, 0)));
            assertThat(describe(delete.prevKv())).isEqualTo(describe(last));
            assertThat(events.get(0).prevKv()).as("a create has no previous state").isNull();
            assertThat(describe(events.get(1).prevKv())).isEqualTo(describe(events.get(0).kv()));
        }
    }

    @Test
    void replayFromTheFileAfterReopenIncludesPrevKv() throws Exception {
        Path file = dir.resolve("store.db");
        List<String> live;
        try (SqliteStore store = SqliteStore.open(file)) {
            CollectingListener listener = new CollectingListener();
            store.watch("/r/", 0, listener);
            store.put("/r/a", bytes("one"), ABSENT);
            store.put("/q/other", bytes("not watched"), ABSENT);
            store.put("/r/a", bytes("two"), ANY);
            store.delete("/r/a", ANY);
            store.put("/r/a", bytes("three"), ABSENT);
            live = listener.awaitRevision(5).stream().map(TestSupport::describe).toList();
        }
        try (SqliteStore reopened = SqliteStore.open(file)) {
            CollectingListener listener = new CollectingListener();
            reopened.watch("/r/", 0, listener);

            assertThat(listener.awaitRevision(5).stream().map(TestSupport::describe).toList()).isEqualTo(live);
            assertThat(live).hasSize(4);
        }
    }

    @Test
    void progressAdvancesEvenWithoutMatchingEvents() {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            CollectingListener listener = new CollectingListener();
            Watch watch = store.watch("/quiet/", 0, listener);
            for (int i = 0; i < 5; i++) {
                store.put("/busy/" + i, bytes("x"), ANY);
            }

            // A bookmark may claim revision 5: the watcher has seen everything (nothing) up to it.
            awaitUntil("progress reaches revision 5", () -> watch.progressRevision() == 5);
            assertThat(listener.events()).isEmpty();
        }
    }

    @Test
    void aWatchFromTheFutureStartsAfterThatRevision() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            CollectingListener listener = new CollectingListener();
            Watch watch = store.watch("/f/", 3, listener);
            assertThat(watch.progressRevision()).as("never claims a revision that does not exist yet").isZero();

            for (int i = 1; i <= 5; i++) {
                store.put("/f/" + i, bytes("x"), ANY);
            }

            assertThat(listener.awaitRevision(5)).extracting(WatchEvent::revision).containsExactly(4L, 5L);
        }
    }

    @Test
    void aBlockedListenerNeverHoldsUpWriters() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            CollectingListener stuck = new CollectingListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    blocked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    super.onEvents(events);
                }
            };
            store.watch("/b/", 0, stuck);
            store.put("/b/first", bytes("x"), ANY);
            blocked.await();

            for (int i = 0; i < 50; i++) {
                assertThat(store.put("/b/" + i, bytes("x"), ANY).succeeded()).isTrue();
            }

            release.countDown();
            assertThat(stuck.awaitRevision(51)).extracting(WatchEvent::revision)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 51).boxed().toList());
        }
    }

    @Test
    void aListenerThatThrowsIsCancelledAndOthersContinue() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            CollectingListener failing = new CollectingListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    throw new IllegalStateException("listener bug");
                }
            };
            CollectingListener healthy = new CollectingListener();
            store.watch("/x/", 0, failing);
            store.watch("/x/", 0, healthy);

            store.put("/x/1", bytes("x"), ANY);
            store.put("/x/2", bytes("x"), ANY);

            assertThat(failing.awaitClosed()).contains("IllegalStateException");
            assertThat(healthy.awaitRevision(2)).hasSize(2);
        }
    }

    @Test
    void closingTheStoreClosesItsWatches() throws Exception {
        SqliteStore store = SqliteStore.open(dir.resolve("store.db"));
        CollectingListener listener = new CollectingListener();
        store.watch("/", 0, listener);

        store.close();

        assertThat(listener.awaitClosed()).contains("closed");
        assertThatThrownBy(() -> store.watch("/", 0, new CollectingListener())).isInstanceOf(StoreException.class);
    }

    @Test
    void aClosedWatchReceivesNothingMore() throws Exception {
        SqliteStore store = SqliteStore.open(dir.resolve("store.db"));
        CollectingListener closed = new CollectingListener();
        CollectingListener open = new CollectingListener();
        Watch watch = store.watch("/c/", 0, closed);
        store.watch("/c/", 0, open);
        store.put("/c/1", bytes("x"), ANY);
        closed.awaitRevision(1);

        watch.close();
        watch.close(); // twice is harmless
        store.put("/c/2", bytes("x"), ANY);
        open.awaitRevision(2);
        store.close(); // stops the notifier: nothing can arrive after this

        assertThat(closed.revisions()).containsExactly(1L);
        assertThat(closed.closedReason()).as("closing your own watch is not a cancellation").isNull();
    }
}
