package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.RevisionedStore.prefixEnd;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import dev.strongroom.store.TxnResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A range at the current revision, taken while writers commit batches, must show exactly the writes up to the
 * revision it reports: nothing later, nothing missing. Checked against a model rebuilt from the writers' results.
 */
class SnapshotConsistencyTest {

    static final String PREFIX = "/snap/";
    static final int WRITERS = 8;
    static final int WRITES_EACH = 250;
    static final int READERS = 3;

    @TempDir Path dir;

    @Test
    void everyCurrentRangeIsExactlyTheStateAtItsRevision() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("store.db"))) {
            Queue<TxnResult> applied = new ConcurrentLinkedQueue<>();
            Queue<RangeResult> snapshots = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch writersDone = new CountDownLatch(WRITERS);

            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(writer);
                    for (int i = 0; i < WRITES_EACH; i++) {
                        String key = PREFIX + "k" + random.nextInt(40);
                        TxnResult r = random.nextInt(5) == 0
                                ? store.delete(key, ANY)
                                : store.put(key, bytes("w" + writer + "-" + i), ANY);
                        if (r.succeeded()) {
                            applied.add(r);
                        }
                    }
                    writersDone.countDown();
                }));
            }
            for (int r = 0; r < READERS; r++) {
                // Platform threads: a reader spinning on a virtual thread could keep the writers' virtual threads
                // off the two carrier threads; the OS scheduler time-slices platform threads fairly.
                threads.add(Thread.ofPlatform().start(() -> {
                    // At least a few reads even if the writers finish first; then read for as long as they write,
                    // keeping one snapshot per revision seen (the checks below are per revision).
                    long lastKept = -1;
                    for (int i = 0; i < 20 || writing.get(); i++) {
                        RangeResult snapshot = store.range(PREFIX, prefixEnd(PREFIX), 0, 0);
                        if (snapshot.revision() != lastKept) {
                            snapshots.add(snapshot);
                            lastKept = snapshot.revision();
                        }
                    }
                }));
            }
            writersDone.await();
            writing.set(false);
            for (Thread t : threads) {
                t.join();
            }

            List<TxnResult> log = applied.stream().sorted(Comparator.comparingLong(TxnResult::revision)).toList();
            assertThat(log).extracting(TxnResult::revision)
                    .as("every successful write has its own revision, with no gaps")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());

            List<RangeResult> byRevision = snapshots.stream()
                    .sorted(Comparator.comparingLong(RangeResult::revision)).toList();
            long distinct = byRevision.stream().mapToLong(RangeResult::revision).distinct().count();
            assertThat(distinct).as("the readers saw the store at many revisions").isGreaterThan(5);

            // Replay the log once, checking each snapshot when the model reaches its revision.
            Map<String, KeyValue> model = new TreeMap<>();
            int next = 0;
            for (RangeResult snapshot : byRevision) {
                while (next < log.size() && log.get(next).revision() <= snapshot.revision()) {
                    TxnResult r = log.get(next++);
                    String key = r.current() != null ? r.current().key() : r.previous().key();
                    if (r.current() == null) {
                        model.remove(key);
                    } else {
                        model.put(key, r.current());
                    }
                }
                assertThat(describe(snapshot.kvs()))
                        .as("range reported at revision %d", snapshot.revision())
                        .isEqualTo(describe(List.copyOf(model.values())));
            }

            // The same revisions read back from SQLite's history agree with what memory served.
            for (int i = 0; i < byRevision.size(); i += Math.max(1, byRevision.size() / 40)) {
                RangeResult snapshot = byRevision.get(i);
                if (snapshot.revision() == 0) {
                    continue; // revision 0 asks for the current state, not the empty store
                }
                RangeResult fromDisk = store.range(PREFIX, prefixEnd(PREFIX), snapshot.revision(), 0);
                assertThat(describe(fromDisk.kvs())).isEqualTo(describe(snapshot.kvs()));
            }
        }
    }
}
