package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static dev.strongroom.store.sqlite.TestSupport.rawConnection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.store.CompactedException;
import dev.strongroom.store.WatchEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction drops superseded history, keeps the latest state, and makes older reads and watches fail cleanly. */
class CompactionTest {

    @TempDir Path dir;

    /**
     * Revisions: 1 put a, 2 put a, 3 put b, 4 delete b, 5 put c, 6 put a, 7 put d, 8 delete d, 9 put e.
     */
    private static Map<Long, List<String>> writeHistory(SqliteStore store) {
        Map<Long, List<String>> rangeAt = new HashMap<>();
        Runnable snapshot = () -> rangeAt.put(store.currentRevision(), describe(store.range("/", "0", 0, 0).kvs()));
        store.put("/a", bytes("a1"), ANY);
        snapshot.run();
        store.put("/a", bytes("a2"), ANY);
        snapshot.run();
        store.put("/b", bytes("b1"), ANY);
        snapshot.run();
        store.delete("/b", ANY);
        snapshot.run();
        store.put("/c", bytes("c1"), ANY);
        snapshot.run();
        store.put("/a", bytes("a3"), ANY);
        snapshot.run();
        store.put("/d", bytes("d1"), ANY);
        snapshot.run();
        store.delete("/d", ANY);
        snapshot.run();
        store.put("/e", bytes("e1"), ANY);
        snapshot.run();
        return rangeAt;
    }

    @Test
    void compactionKeepsTheLatestStateAndRefusesOlderReads() throws Exception {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            Map<Long, List<String>> rangeAt = writeHistory(store);

            store.compact(7);

            assertThat(store.compactedRevision()).isEqualTo(7);
            assertThat(store.currentRevision()).isEqualTo(9);
            assertThatThrownBy(() -> store.range("/", "0", 6, 0))
                    .isInstanceOfSatisfying(CompactedException.class, e -> {
                        assertThat(e.requested()).isEqualTo(6);
                        assertThat(e.compacted()).isEqualTo(7);
                    });
            for (long revision = 7; revision <= 9; revision++) {
                assertThat(describe(store.range("/", "0", revision, 0).kvs()))
                        .as("range at %d", revision).isEqualTo(rangeAt.get(revision));
            }
            assertThat(describe(store.range("/", "0", 0, 0).kvs())).isEqualTo(rangeAt.get(9L));
            assertThat(rowRevisions(file))
                    .as("superseded rows (1, 2) and deleted keys (3, 4) are gone; 7 is d's state at 7")
                    .containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void watchesCannotStartBeforeTheCompactedRevision() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            writeHistory(store);
            store.compact(7);

            assertThatThrownBy(() -> store.watch("/", 6, new CollectingListener()))
                    .isInstanceOf(CompactedException.class);

            CollectingListener listener = new CollectingListener();
            store.watch("/", 7, listener);
            List<WatchEvent> events = listener.awaitRevision(9);
            assertThat(events).extracting(WatchEvent::revision).containsExactly(8L, 9L);
            assertThat(events.getFirst().prevKv().key()).as("prevKv of the delete survives compaction").isEqualTo("/d");
        }
    }

    @Test
    void aWatcherThatFallsBehindACompactionIsClosed() throws Exception {
        // A ring of 4 recent events: the lagging watcher must read history from SQLite, where it is compacted away.
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"), 4)) {
            int writes = WatchHub.PAGE_REVISIONS + 200;
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 12; w++) { // concurrently, so that group commit makes this quick
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = writer; i < writes; i += 12) {
                        store.put("/k/" + (i % 10), bytes("v" + i), ANY);
                    }
                }));
            }
            for (Thread t : writers) {
                t.join();
            }
            CountDownLatch firstPage = new CountDownLatch(1);
            CountDownLatch compacted = new CountDownLatch(1);
            CollectingListener lagging = new CollectingListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    super.onEvents(events);
                    firstPage.countDown();
                    try {
                        compacted.await(); // hold the watcher on its first page of history
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            store.watch("/k/", 0, lagging);
            firstPage.await();
            store.compact(writes - 10);
            compacted.countDown();

            assertThat(lagging.awaitClosed()).contains("compacted");
            assertThat(lagging.revisions()).hasSize(WatchHub.PAGE_REVISIONS);
        }
    }

    @Test
    void compactedRevisionSurvivesRestart() {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            writeHistory(store);
            store.compact(7);
        }
        try (SqliteStore reopened = SqliteStore.open(file)) {
            assertThat(reopened.compactedRevision()).isEqualTo(7);
            assertThat(reopened.currentRevision()).isEqualTo(9);
            assertThatThrownBy(() -> reopened.range("/", "0", 6, 0)).isInstanceOf(CompactedException.class);
            assertThat(reopened.range("/", "0", 7, 0).kvs()).hasSize(3);
        }
    }

    @Test
    void compactingAwayTheLastRevisionDoesNotRewindTheRevisionCounter() {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.put("/x", bytes("1"), ANY);
            store.delete("/x", ANY);
            store.compact(2); // removes both rows: the file holds no row at all
        }
        try (SqliteStore reopened = SqliteStore.open(file)) {
            assertThat(reopened.currentRevision()).isEqualTo(2);
            assertThat(reopened.put("/x", bytes("2"), ANY).revision()).isEqualTo(3);
        }
    }

    @Test
    void compactionToTheFutureIsRejectedAndToThePastIsANoOp() {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            writeHistory(store);
            store.compact(5);
            long commits = store.commitCount();

            assertThatThrownBy(() -> store.compact(10)).isInstanceOf(IllegalArgumentException.class);
            store.compact(3);
            store.compact(5);

            assertThat(store.compactedRevision()).isEqualTo(5);
            assertThat(store.commitCount()).isEqualTo(commits);
        }
    }

    private static List<Long> rowRevisions(Path file) throws Exception {
        List<Long> revisions = new ArrayList<>();
        try (Connection c = rawConnection(file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT revision FROM kv ORDER BY revision")) {
            while (r.next()) {
                revisions.add(r.getLong(1));
            }
        }
        return revisions;
    }
}
