package dev.strongroom.bench;

import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.sqlite.SqliteStore;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The create baseline: the store's own durable insert rate, {@code SqliteStore.put(key, value, ABSENT)} from N
 * concurrent writer threads (no HTTP, no JSON, no encryption), with values of the size the API stores.
 */
final class RawStore implements AutoCloseable {
    record Result(double seconds, long inserts, long commits, double cpuSecondsInProcess, double machineBusy) {
        double rate() { return inserts / seconds; }

        double rowsPerCommit() { return commits == 0 ? Double.NaN : (double) inserts / commits; }

        double cpuMicrosPerInsert() { return inserts == 0 ? Double.NaN : cpuSecondsInProcess * 1e6 / inserts; }
    }

    private final SqliteStore store;
    private final byte[] value;
    private int round;

    RawStore(Path dbFile, int valueSize) {
        this.store = SqliteStore.open(dbFile);
        this.value = new byte[valueSize];
        new SecureRandom().nextBytes(value); // ciphertext-like: incompressible
    }

    /** Runs {@code writers} threads inserting fresh keys for {@code seconds}. */
    Result run(int writers, double seconds) throws InterruptedException {
        int r = ++round;
        LongAdder inserts = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String prefix = "/registry/secrets/bench-raw/r" + r + "-w" + w + "-";
            threads.add(Thread.ofPlatform().name("raw-writer-" + w).start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; !stop.get(); i++) {
                    if (!store.put(prefix + i, value, RevisionedStore.ABSENT).succeeded()) {
                        throw new IllegalStateException("raw insert of a fresh key failed");
                    }
                    inserts.increment();
                }
            }));
        }
        ready.await();
        long commits0 = store.commitCount();
        Cpu.Sample before = Cpu.sample();
        go.countDown();
        Thread.sleep((long) (seconds * 1000));
        long n = inserts.sum();
        long commits = store.commitCount() - commits0;
        Cpu.Sample after = Cpu.sample();
        stop.set(true);
        for (Thread t : threads) t.join();
        return new Result(after.wallSince(before), n, commits, after.processSince(before), after.machineBusySince(before));
    }

    @Override
    public void close() { store.close(); }
}
