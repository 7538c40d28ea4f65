package dev.strongroom.store.sqlite;

import dev.strongroom.store.StoreException;
import dev.strongroom.store.TxnResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread, doing group commit. Callers queue a write and wait; the writer takes everything queued,
 * evaluates it as one {@link Batch}, writes it in one SQLite transaction and fsyncs once. Only then does it publish
 * the batch to memory (index, then watchers) and wake the callers. With 64 writers this turns ~64 fsyncs into one.
 *
 * <p>If the commit fails, every write of the batch fails and memory is left as it was. Should the file then disagree
 * with memory (a commit that failed after all but its last step), the store refuses all further writes rather than
 * hand out a revision twice; reopening rebuilds memory from the file.
 */
final class GroupCommitter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Bounds one transaction, so a burst is committed in a few slices rather than one huge one. */
    static final int MAX_BATCH = 512;

    private final LogWriter logWriter;
    private final LatestState state;
    private final WatchHub hub;
    private final String storeName;
    private final BlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile boolean closed;
    /** Why the store stopped accepting writes, or null while healthy. */
    private volatile String broken;

    GroupCommitter(LogWriter logWriter, LatestState state, WatchHub hub, String storeName) {
        this.logWriter = logWriter;
        this.state = state;
        this.hub = hub;
        this.storeName = storeName;
        this.writer = Thread.ofPlatform().name("strongroom-store-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        writer.start();
    }

    /** Queues a put and waits until it is durable (or has failed). */
    TxnResult put(String key, byte[] value, long expectedModRevision) {
        var op = new WriteOp.Put(key, value, expectedModRevision, new CompletableFuture<>());
        enqueue(op);
        return await(op.done());
    }

    /** Queues a delete and waits until it is durable (or has failed). */
    TxnResult delete(String key, long expectedModRevision) {
        var op = new WriteOp.Delete(key, expectedModRevision, new CompletableFuture<>());
        enqueue(op);
        return await(op.done());
    }

    /** Queues a compaction behind the writes already queued and waits until it is durable. */
    void compact(long revision) {
        var op = new WriteOp.Compact(revision, new CompletableFuture<>());
        enqueue(op);
        await(op.done());
    }

    long commitCount() {
        return commits.get();
    }

    int queued() {
        return queue.size();
    }

    /** Writes submitted and not yet answered (queued or in the batch being committed). */
    int unfinished() {
        return unfinished.get();
    }

    /** Lets the writer commit everything queued before this call, fails anything later, and waits for it to stop. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(new WriteOp.Stop(new CompletableFuture<>()));
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the writer's answer. Deliberately not interruptible: a caller that gave up early could not tell
     * whether its write happened.
     */
    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            // Rethrown here so the stack trace shows the caller, with the writer's failure as the cause.
            Throwable cause = e.getCause();
            throw new StoreException(cause.getMessage(), cause);
        }
    }

    private void enqueue(WriteOp op) {
        if (closed) {
            throw closedException();
        }
        unfinished.incrementAndGet();
        op.done().whenComplete((result, failure) -> unfinished.decrementAndGet());
        queue.add(op);
        // close() may have slipped in between the check and the add, after the writer's final drain; if the op is
        // still queued, nobody else will answer it.
        if (closed && queue.remove(op)) {
            op.done().completeExceptionally(closedException());
        }
    }

    private void run() {
        List<WriteOp> taken = new ArrayList<>();
        List<WriteOp> batch = new ArrayList<>();
        while (true) {
            taken.clear();
            taken.add(takeUninterruptibly());
            queue.drainTo(taken, MAX_BATCH - 1);
            for (WriteOp op : taken) {
                switch (op) {
                    case WriteOp.Put p -> batch.add(p);
                    case WriteOp.Delete d -> batch.add(d);
                    case WriteOp.Compact c -> {
                        commit(batch); // writes queued before the compaction come first
                        compact(c);
                    }
                    case WriteOp.Stop s -> {
                        commit(batch);
                        failRemaining(taken.subList(taken.indexOf(s) + 1, taken.size()));
                        return;
                    }
                }
            }
            commit(batch);
        }
    }

    private WriteOp takeUninterruptibly() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts the writer on purpose; close() stops it through the queue, in order.
            }
        }
    }

    /** Commits {@code ops} as one batch (and empties the list); every op in it gets its answer. */
    private void commit(List<WriteOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        try {
            commitChecked(ops);
        } catch (RuntimeException | Error e) {
            // A bug, not an I/O failure: memory may be half-updated, so stop writing.
            broken = "internal error " + e.getClass().getName();
            log.error("store {}: unexpected failure while committing; refusing further writes", storeName, e);
            fail(ops, new StoreException("store " + storeName + " failed: " + broken, e));
        } finally {
            ops.clear();
        }
    }

    private void commitChecked(List<WriteOp> ops) {
        if (broken != null) {
            fail(ops, brokenException());
            return;
        }
        Batch batch = new Batch(state);
        List<TxnResult> results = new ArrayList<>(ops.size());
        for (WriteOp op : ops) {
            results.add(switch (op) {
                case WriteOp.Put p -> batch.put(p.key(), p.value(), p.expectedModRevision());
                case WriteOp.Delete d -> batch.delete(d.key(), d.expectedModRevision());
                default -> throw new IllegalStateException("not a batchable write: " + op);
            });
        }
        if (!batch.events().isEmpty()) {
            try {
                logWriter.append(batch.events());
                commits.incrementAndGet();
            } catch (SQLException e) {
                log.warn("store {}: committing {} writes failed: {}", storeName, ops.size(), e.getMessage());
                fail(ops, new StoreException("committing to store " + storeName + " failed: " + e.getMessage(), e));
                checkFileMatchesMemory();
                return;
            }
            // Memory first, then watchers, then callers: an acknowledged write is visible to every later read.
            state.apply(batch.changes(), batch.revision());
            hub.publish(batch.events());
        }
        for (int i = 0; i < ops.size(); i++) {
            complete(ops.get(i), results.get(i));
        }
    }

    private void compact(WriteOp.Compact op) {
        if (broken != null) {
            op.done().completeExceptionally(brokenException());
            return;
        }
        if (op.revision() <= state.compactedRevision()) {
            op.done().complete(null); // already done: compaction is idempotent
            return;
        }
        try {
            long started = System.nanoTime();
            logWriter.compact(op.revision());
            commits.incrementAndGet();
            state.compacted(op.revision());
            log.info("store {}: compacted history below revision {} in {} ms", storeName, op.revision(),
                    (System.nanoTime() - started) / 1_000_000);
            op.done().complete(null);
        } catch (SQLException e) {
            log.warn("store {}: compaction to {} failed: {}", storeName, op.revision(), e.getMessage());
            op.done().completeExceptionally(
                    new StoreException("compacting store " + storeName + " failed: " + e.getMessage(), e));
        }
    }

    /**
     * After a failed commit SQLite has normally rolled everything back. If the file nevertheless holds a revision
     * memory does not know about, acknowledging new writes would reuse revisions, so the store stops writing.
     */
    private void checkFileMatchesMemory() {
        try {
            long onDisk = logWriter.lastRevision();
            if (onDisk != state.revision()) {
                broken = "file has revision " + onDisk + " but memory has " + state.revision();
            }
        } catch (SQLException e) {
            broken = "cannot read the file after a failed commit: " + e.getMessage();
        }
        if (broken != null) {
            log.error("store {}: {}; refusing further writes until reopened", storeName, broken);
        }
    }

    private static void complete(WriteOp op, TxnResult result) {
        switch (op) {
            case WriteOp.Put p -> p.done().complete(result);
            case WriteOp.Delete d -> d.done().complete(result);
            default -> throw new IllegalStateException("not a batchable write: " + op);
        }
    }

    private void failRemaining(List<WriteOp> taken) {
        fail(taken, closedException());
        for (WriteOp op; (op = queue.poll()) != null; ) {
            op.done().completeExceptionally(closedException());
        }
    }

    private static void fail(List<WriteOp> ops, StoreException e) {
        for (WriteOp op : ops) {
            op.done().completeExceptionally(e);
        }
    }

    private StoreException closedException() {
        return new StoreException("store " + storeName + " is closed");
    }

    private StoreException brokenException() {
        return new StoreException("store " + storeName + " refuses writes: " + broken + "; reopen it");
    }
}
