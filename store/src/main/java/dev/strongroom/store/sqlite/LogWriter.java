package dev.strongroom.store.sqlite;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL of the single writer connection: appends a batch of revisions in one durable transaction, and compacts.
 * Only the writer thread uses it, so it keeps its prepared statements open.
 */
final class LogWriter implements AutoCloseable {

    private final Connection connection;
    private final Statement control;
    private final PreparedStatement insert;
    private final PreparedStatement compact;
    private final PreparedStatement saveCompactedRevision;

    LogWriter(Connection connection) throws SQLException {
        this.connection = connection;
        this.control = connection.createStatement();
        this.insert = connection.prepareStatement("""
                INSERT INTO kv (revision, key, create_revision, prev_revision, version, deleted, value)
                VALUES (?, ?, ?, ?, ?, ?, ?)""");
        // A row at or below the compaction revision is superseded if the key has a newer row at or below it; a
        // tombstone there is dropped too (the key is simply absent). The newest live row per key stays, so a read
        // at the compaction revision still sees every key.
        this.compact = connection.prepareStatement("""
                DELETE FROM kv
                WHERE revision <= ?1
                  AND (deleted = 1
                       OR revision < (SELECT MAX(newer.revision) FROM kv AS newer
                                      WHERE newer.key = kv.key AND newer.revision <= ?1))""");
        this.saveCompactedRevision = connection.prepareStatement("""
                INSERT INTO meta (name, value) VALUES ('compacted_revision', ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value""");
    }

    /**
     * Writes one row per event and commits. Returns only once the commit is durable; on failure nothing was written.
     */
    void append(List<WatchEvent> events) throws SQLException {
        inTransaction(() -> {
            for (WatchEvent event : events) {
                KeyValue kv = event.kv();
                boolean deleted = event.type() == WatchEvent.Type.DELETE;
                insert.setLong(1, kv.modRevision());
                insert.setString(2, kv.key());
                insert.setLong(3, kv.createRevision());
                insert.setLong(4, event.prevKv() == null ? 0 : event.prevKv().modRevision());
                insert.setLong(5, kv.version());
                insert.setInt(6, deleted ? 1 : 0);
                insert.setBytes(7, deleted ? null : kv.value());
                insert.executeUpdate();
            }
        });
    }

    /** Deletes history older than {@code revision} and records the new compacted revision, atomically. */
    void compact(long revision) throws SQLException {
        inTransaction(() -> {
            compact.setLong(1, revision);
            compact.executeUpdate();
            saveCompactedRevision.setLong(1, revision);
            saveCompactedRevision.executeUpdate();
        });
    }

    /** The newest revision the file holds; used to check that memory and disk still agree after a failed commit. */
    long lastRevision() throws SQLException {
        return LogReader.lastRevision(connection);
    }

    @Override
    public void close() throws SQLException {
        // Closing the last connection checkpoints the WAL into the main file.
        connection.close();
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(SqlWork work) throws SQLException {
        // IMMEDIATE takes the write lock up front, so a busy database is waited for (busy_timeout) instead of
        // failing half-way through the batch.
        control.execute("BEGIN IMMEDIATE");
        try {
            work.run();
            control.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    private void rollbackQuietly(Exception failure) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (e.g. after an I/O error); keep the original failure.
            failure.addSuppressed(e);
        }
    }
}
