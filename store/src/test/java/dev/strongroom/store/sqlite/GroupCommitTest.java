package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ABSENT;
import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.sqlite.TestSupport.awaitUntil;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.rawConnection;
import static dev.strongroom.store.sqlite.TestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.store.StoreException;
import dev.strongroom.store.TxnResult;
import dev.strongroom.store.WatchEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: many writers share one fsync, each op is evaluated against the ones queued before it, and a failed
 * commit fails the whole batch without touching memory.
 *
 * <p>The deterministic tests hold SQLite's write lock from a second connection (as an operator's sqlite3 shell
 * could), so the writer is stuck on a first "blocker" write while the ops under test queue up behind it; releasing
 * the lock lets the writer take them all as one batch.
 */
class GroupCommitTest {

    static final int WRITERS = 64;
    static final int PUTS_EACH = 40;

    @TempDir Path dir;

    @Test
    void sixtyFourConcurrentWritersShareCommits() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            Queue<TxnResult> results = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < PUTS_EACH; i++) {
                        results.add(store.put("/gc/" + writer + "/" + i, bytes("v"), ABSENT));
                    }
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            for (Thread t : writers) {
                t.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            int writes = WRITERS * PUTS_EACH;
            assertThat(results).allMatch(TxnResult::succeeded);
            assertThat(results.stream().map(TxnResult::revision).sorted().toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, writes).boxed().toList());
            assertThat(store.commitCount()).as("several writes share each commit").isLessThan(writes);
            System.out.printf("group commit: %d durable puts from %d writers in %.2f s = %.0f puts/s, "
                            + "%d commits, %.1f puts per commit%n",
                    writes, WRITERS, seconds, writes / seconds, store.commitCount(),
                    (double) writes / store.commitCount());
        }
    }

    @Test
    void eachOpInABatchSeesTheOnesBeforeIt() throws Exception {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file); Connection other = rawConnection(file)) {
            HeldBatch batch = new HeldBatch(store, other);
            batch.queue(() -> store.put("/b/a", bytes("one"), ABSENT));    // revision 2
            batch.queue(() -> store.put("/b/a", bytes("two"), 2));         // CAS on the op just before: revision 3
            batch.queue(() -> store.put("/b/a", bytes("three"), ABSENT));  // fails: /b/a exists by now
            batch.queue(() -> store.delete("/b/a", 3));                    // revision 4
            batch.queue(() -> store.put("/b/a", bytes("four"), ABSENT));   // recreated: revision 5
            batch.queue(() -> store.delete("/b/missing", ANY));            // fails
            long commitsBefore = store.commitCount();

            List<TxnResult> results = batch.release();

            assertThat(store.commitCount()).as("the blocker's commit, then one for the whole batch")
                    .isEqualTo(commitsBefore + 2);
            assertThat(results).extracting(TxnResult::succeeded).containsExactly(true, true, false, true, true, false);
            assertThat(results).extracting(TxnResult::revision).containsExactly(2L, 3L, 3L, 4L, 5L, 5L);
            assertThat(results.get(1).current().version()).isEqualTo(2);
            assertThat(results.get(2).current().modRevision()).as("sees the batch's own earlier write").isEqualTo(3);
            assertThat(results.get(4).current().createRevision()).isEqualTo(5);
            assertThat(results.get(4).current().version()).isEqualTo(1);
            assertThat(text(store.get("/b/a").value())).isEqualTo("four");
            assertThat(store.currentRevision()).isEqualTo(5);
        }
    }

    @Test
    void aFailedCommitFailsTheWholeBatchAndLeavesMemoryUntouched() throws Exception {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file); Connection other = rawConnection(file)) {
            CollectingListener watcher = new CollectingListener();
            store.watch("/", 0, watcher);
            try (Statement s = other.createStatement()) {
                // Makes SQLite reject the batch's transaction, as a full disk or I/O error would.
                s.execute("""
                        CREATE TRIGGER refuse_boom BEFORE INSERT ON kv WHEN NEW.key = '/f/boom'
                        BEGIN SELECT RAISE(ABORT, 'refused by the test'); END""");
            }
            HeldBatch batch = new HeldBatch(store, other);
            batch.queue(() -> store.put("/f/x", bytes("secret-value-x"), ABSENT));
            batch.queue(() -> store.put("/f/boom", bytes("secret-value-boom"), ANY));
            batch.queue(() -> store.put("/f/y", bytes("secret-value-y"), ANY));

            List<Throwable> failures = batch.releaseExpectingFailures();

            assertThat(failures).hasSize(3).allSatisfy(f -> {
                assertThat(f).isInstanceOf(StoreException.class);
                assertThat(f.getMessage()).doesNotContain("secret-value");
            });
            assertThat(store.currentRevision()).as("only the blocker committed").isEqualTo(1);
            assertThat(store.get("/f/x")).isNull();
            assertThat(store.get("/f/y")).isNull();

            try (Statement s = other.createStatement()) {
                s.execute("DROP TRIGGER refuse_boom");
            }
            assertThat(store.put("/f/z", bytes("z"), ABSENT).revision())
                    .as("the failed batch used up no revisions").isEqualTo(2);
            assertThat(watcher.awaitRevision(2)).extracting(e -> e.kv().key())
                    .as("watchers never saw the failed batch").containsExactly("/b/blocker", "/f/z");
            try (Statement s = other.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM kv WHERE key LIKE '/f/%'")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
            assertThat(store.range("/f/", "/f0", 0, 0).kvs()).extracting(kv -> kv.key()).containsExactly("/f/z");
            assertThat(watcher.events()).extracting(WatchEvent::revision).containsExactly(1L, 2L);
        }
    }

    /**
     * Builds a batch deterministically: holds the write lock, starts a blocker write (which the writer takes and
     * then waits on), queues the ops one by one in order, then releases the lock.
     */
    static final class HeldBatch {
        private final SqliteStore store;
        private final Connection other;
        private final List<Thread> threads = new ArrayList<>();
        private final List<AtomicReference<Object>> outcomes = new ArrayList<>();

        HeldBatch(SqliteStore store, Connection other) throws Exception {
            this.store = store;
            this.other = other;
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            int unfinished = store.unfinishedWrites();
            start(() -> store.put("/b/blocker", bytes("x"), ANY));
            awaitUntil("the writer has taken the blocker",
                    () -> store.unfinishedWrites() == unfinished + 1 && store.queuedWrites() == 0);
        }

        void queue(Supplier<TxnResult> op) {
            int queued = store.queuedWrites();
            start(op);
            awaitUntil("op " + threads.size() + " is queued", () -> store.queuedWrites() == queued + 1);
        }

        List<TxnResult> release() throws Exception {
            List<TxnResult> results = new ArrayList<>();
            for (Object outcome : finish()) {
                if (outcome instanceof Throwable t) {
                    throw new AssertionError("op failed", t);
                }
                results.add((TxnResult) outcome);
            }
            return results;
        }

        List<Throwable> releaseExpectingFailures() throws Exception {
            List<Throwable> failures = new ArrayList<>();
            for (Object outcome : finish()) {
                assertThat(outcome).isInstanceOf(Throwable.class);
                failures.add((Throwable) outcome);
            }
            return failures;
        }

        /** Releases the lock and returns each queued op's result or exception, in queue order (not the blocker). */
        private List<Object> finish() throws Exception {
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(outcomes.getFirst().get()).as("the blocker").isInstanceOf(TxnResult.class);
            return outcomes.subList(1, outcomes.size()).stream().map(AtomicReference::get).toList();
        }

        private void start(Supplier<TxnResult> op) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    outcome.set(op.get());
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            }));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
