package dev.strongroom.store.sqlite;

import dev.strongroom.store.CompactedException;
import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.StoreException;
import dev.strongroom.store.TxnResult;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchListener;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: a {@link RevisionedStore} in one SQLite file.
 *
 * <pre>
 *  put/delete/compact ──► GroupCommitter (one writer thread, one fsync per batch) ──► LogWriter ──► SQLite file
 *                                 │ after the commit
 *                                 ├──► LatestState  ◄── get, range at the current revision (memory only)
 *                                 └──► WatchHub (notifier thread) ──► listeners
 *  range at an old revision, watch history ──► ReaderPool ──► LogReader ──► SQLite file (WAL snapshot)
 * </pre>
 *
 * Values are held in memory as given (ciphertext, for secrets). {@link KeyValue}s handed out share their value
 * arrays with the index, so callers must not modify them. {@code endKey == null} in {@link #range} means "no upper
 * bound".
 */
public final class SqliteStore implements RevisionedStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

    /** How many recent events stay in memory for watchers; older history is read from the file. */
    static final int DEFAULT_RECENT_EVENTS = 4_096;

    /** Read connections for old-revision ranges and watch replays; current reads never need one. */
    private static final int READ_CONNECTIONS = 4;

    private final Database database;
    private final ReaderPool readers;
    private final LogWriter logWriter;
    private final LatestState state;
    private final WatchHub hub;
    private final GroupCommitter committer;
    private volatile boolean closed;

    private SqliteStore(Database database, ReaderPool readers, LogWriter logWriter, LatestState state, int recentEvents) {
        this.database = database;
        this.readers = readers;
        this.logWriter = logWriter;
        this.state = state;
        this.hub = new WatchHub(readers, recentEvents, state.revision());
        this.committer = new GroupCommitter(logWriter, state, hub, database.file().toString());
    }

    /**
     * Opens (or creates) the store in {@code dbFile}, creating missing parent directories, and rebuilds the in-memory
     * index from it. A new file and its WAL are readable by the owner only.
     *
     * @throws StoreException if the file cannot be opened, or another process has it open
     */
    public static SqliteStore open(Path dbFile) {
        return open(dbFile, DEFAULT_RECENT_EVENTS);
    }

    /** As {@link #open(Path)}, keeping {@code recentEvents} events in memory for watchers (tests use a few). */
    static SqliteStore open(Path dbFile, int recentEvents) {
        Database database = Database.open(dbFile);
        ReaderPool readers = new ReaderPool(database, READ_CONNECTIONS);
        LogWriter logWriter = null;
        try {
            LatestState state = readers.read(c -> new LatestState(
                    LogReader.latestLiveState(c), LogReader.lastRevision(c), LogReader.compactedRevision(c)));
            logWriter = new LogWriter(database.connectForWriting());
            SqliteStore store = new SqliteStore(database, readers, logWriter, state, recentEvents);
            store.hub.start();
            store.committer.start();
            log.info("opened store {} at revision {} (compacted below {})",
                    database.file(), state.revision(), state.compactedRevision());
            return store;
        } catch (SQLException | RuntimeException e) {
            readers.close();
            closeQuietly(logWriter);
            database.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("cannot open store " + database.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long currentRevision() {
        return state.revision();
    }

    @Override
    public long compactedRevision() {
        return state.compactedRevision();
    }

    @Override
    public KeyValue get(String key) {
        ensureOpen();
        requireKey(key);
        return state.get(key);
    }

    @Override
    public RangeResult range(String fromKey, String endKey, long revision, int limit) {
        ensureOpen();
        Objects.requireNonNull(fromKey, "fromKey");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + revision);
        }
        if (revision == 0) {
            return state.range(fromKey, endKey, limit);
        }
        long current = state.revision();
        if (revision > current) {
            throw new IllegalArgumentException("revision " + revision + " is in the future (current " + current + ")");
        }
        long compacted = state.compactedRevision();
        if (revision < compacted) {
            throw new CompactedException(revision, compacted);
        }
        if (revision == current) {
            RangeResult latest = state.range(fromKey, endKey, limit);
            if (latest.revision() == revision) {
                return latest; // nothing was written meanwhile: memory is exactly that revision
            }
        }
        // The compacted revision is checked again inside the snapshot, in case a compaction just committed.
        return readers.read(c -> LogReader.rangeAt(c, fromKey, endKey, revision, limit));
    }

    @Override
    public TxnResult put(String key, byte[] value, long expectedModRevision) {
        ensureOpen();
        requireKey(key);
        Objects.requireNonNull(value, "value");
        requirePrecondition(expectedModRevision);
        // The store keeps its own copy: the caller may reuse its buffer once put returns.
        return committer.put(key, value.clone(), expectedModRevision);
    }

    @Override
    public TxnResult delete(String key, long expectedModRevision) {
        ensureOpen();
        requireKey(key);
        requirePrecondition(expectedModRevision);
        return committer.delete(key, expectedModRevision);
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        ensureOpen();
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        }
        long compacted = state.compactedRevision();
        if (afterRevision < compacted) {
            throw new CompactedException(afterRevision, compacted);
        }
        return hub.watch(prefix, afterRevision, listener);
    }

    /**
     * Discards history older than {@code revision}. Runs on the writer thread after the writes queued before it;
     * compacting to a revision already compacted does nothing.
     *
     * @throws IllegalArgumentException if {@code revision} is in the future
     */
    @Override
    public void compact(long revision) {
        ensureOpen();
        long current = state.revision();
        if (revision > current) {
            throw new IllegalArgumentException("cannot compact to revision " + revision + ", beyond current " + current);
        }
        if (revision <= state.compactedRevision()) {
            return;
        }
        committer.compact(revision);
    }

    /** How many SQLite transactions have committed writes so far; fewer than the writes when batching works. */
    public long commitCount() {
        return committer.commitCount();
    }

    /** Writes waiting in the queue, not yet taken by the writer (for tests and metrics). */
    int queuedWrites() {
        return committer.queued();
    }

    /** Writes submitted and not yet answered (for tests and metrics). */
    int unfinishedWrites() {
        return committer.unfinished();
    }

    /**
     * Commits the writes already queued, stops the writer and notifier threads (open watches get
     * {@code onClosed}) and closes the file. Later calls fail with {@link StoreException}.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.close();
        hub.close();
        readers.close();
        closeQuietly(logWriter);
        database.close();
        log.info("closed store {} at revision {}", database.file(), state.revision());
    }

    @Override
    public String toString() {
        return "SqliteStore[" + database.file() + ", revision=" + state.revision() + (closed ? ", closed" : "") + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("store " + database.file() + " is closed");
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    private static void requirePrecondition(long expectedModRevision) {
        if (expectedModRevision < ANY) {
            throw new IllegalArgumentException("expected mod revision must be ANY, ABSENT or a revision: "
                    + expectedModRevision);
        }
    }

    private static void closeQuietly(LogWriter writer) {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (SQLException e) {
            log.warn("closing the store's writer connection failed: {}", e.getMessage());
        }
    }
}
