package dev.strongroom.store.sqlite;

import dev.strongroom.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A few read-only connections for the reads that memory cannot answer (ranges at old revisions, watch history).
 * A JDBC connection serves one thread at a time, so callers borrow one; each read runs in its own transaction, which
 * in WAL mode is a consistent snapshot that the writer's commits do not disturb.
 */
final class ReaderPool implements AutoCloseable {

    /** Runs queries against one snapshot. */
    interface SnapshotRead<T> {
        T read(Connection snapshot) throws SQLException;
    }

    private final Database database;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    ReaderPool(Database database, int size) {
        this.database = database;
        this.permits = new Semaphore(size);
    }

    /** Runs {@code work} in a read transaction on a borrowed connection. */
    <T> T read(SnapshotRead<T> work) {
        permits.acquireUninterruptibly();
        Connection connection = null;
        try {
            if (closed) {
                throw new StoreException("store " + database.file() + " is closed");
            }
            connection = idle.poll();
            if (connection == null) {
                connection = database.connectForReading();
            }
            return inReadTransaction(connection, work);
        } catch (SQLException e) {
            // Its transaction state is unknown now; a fresh connection is cheaper than finding out.
            closeQuietly(connection);
            connection = null;
            throw new StoreException("reading store " + database.file() + " failed: " + e.getMessage(), e);
        } finally {
            giveBack(connection);
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    private static <T> T inReadTransaction(Connection connection, SnapshotRead<T> work) throws SQLException {
        try (Statement control = connection.createStatement()) {
            // A deferred transaction: the snapshot is taken by the first SELECT and held until COMMIT.
            control.execute("BEGIN");
            try {
                return work.read(connection);
            } finally {
                control.execute("COMMIT");
            }
        }
    }

    private void giveBack(Connection connection) {
        if (connection == null) {
            return;
        }
        idle.add(connection);
        if (closed) {
            close(); // the pool closed while this connection was out
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the file stays consistent; nothing else to do while closing
        }
    }
}
