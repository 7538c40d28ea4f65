package dev.strongroom.store.sqlite;

import dev.strongroom.store.CompactedException;
import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read queries over the revision log. Each method expects to run inside one read transaction (see
 * {@link ReaderPool#read}), so everything it reads, including the compacted revision, comes from one snapshot.
 *
 * <p>Keys compare as UTF-8 bytes here and as UTF-16 strings in memory; the two orders agree for every key without
 * characters outside the Basic Multilingual Plane, which Kubernetes key paths never contain.
 */
final class LogReader {

    private LogReader() {}

    /** The newest revision ever written: the last row, or the compacted revision if compaction removed it. */
    static long lastRevision(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COALESCE(MAX(revision), 0) FROM kv")) {
            r.next();
            return Math.max(r.getLong(1), compactedRevision(c));
        }
    }

    static long compactedRevision(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT value FROM meta WHERE name = 'compacted_revision'")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** The latest live state of every key, for rebuilding the in-memory index at startup. */
    static Map<String, KeyValue> latestLiveState(Connection c) throws SQLException {
        Map<String, KeyValue> latest = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT kv.key, kv.value, kv.create_revision, kv.revision, kv.version
                        FROM kv JOIN (SELECT MAX(revision) AS revision FROM kv GROUP BY key) AS newest
                          ON kv.revision = newest.revision
                        WHERE kv.deleted = 0""")) {
            while (r.next()) {
                KeyValue kv = keyValue(r, 1);
                latest.put(kv.key(), kv);
            }
        }
        return latest;
    }

    /**
     * The live keys in {@code [fromKey, endKey)} as of {@code revision}: for each key its newest row at or below
     * the revision, unless that row is a tombstone.
     *
     * @param endKey null for no upper bound
     */
    static RangeResult rangeAt(Connection c, String fromKey, String endKey, long revision, int limit)
            throws SQLException {
        requireNotCompacted(c, revision);
        // Two spellings rather than "(? IS NULL OR key < ?)", which would stop SQLite bounding the index scan.
        String sql = """
                SELECT kv.key, kv.value, kv.create_revision, kv.revision, kv.version
                FROM kv JOIN (SELECT MAX(revision) AS revision FROM kv
                              WHERE key >= ?1 AND %s AND revision <= ?2
                              GROUP BY key) AS newest
                  ON kv.revision = newest.revision
                WHERE kv.deleted = 0
                ORDER BY kv.key""".formatted(endKey == null ? "1" : "key < ?3");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, fromKey);
            s.setLong(2, revision);
            if (endKey != null) {
                s.setString(3, endKey);
            }
            List<KeyValue> kvs = new ArrayList<>();
            long remaining = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (limit == 0 || kvs.size() < limit) {
                        kvs.add(keyValue(r, 1));
                    } else {
                        remaining++; // counted without reading the value
                    }
                }
            }
            return new RangeResult(List.copyOf(kvs), revision, remaining);
        }
    }

    /**
     * The changes to keys starting with {@code prefix} in revisions {@code (afterRevision, upToRevision]}, in
     * revision order, each with the key's previous state.
     *
     * @throws CompactedException if compaction has removed part of that history
     */
    static List<WatchEvent> events(Connection c, String prefix, long afterRevision, long upToRevision)
            throws SQLException {
        requireNotCompacted(c, afterRevision);
        // The revision window bounds the work (the caller pages through history), so scan by revision; the unary
        // "+" keeps SQLite from choosing the (key, revision) index instead, which would walk the whole prefix.
        String sql = """
                SELECT e.key, e.value, e.create_revision, e.revision, e.version, e.deleted,
                       p.key, p.value, p.create_revision, p.revision, p.version
                FROM kv AS e LEFT JOIN kv AS p ON p.revision = e.prev_revision
                WHERE e.revision > ?1 AND e.revision <= ?2 AND +e.key >= ?3 AND %s
                ORDER BY e.revision""".formatted(prefix.isEmpty() ? "1" : "+e.key < ?4");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, afterRevision);
            s.setLong(2, upToRevision);
            s.setString(3, prefix);
            if (!prefix.isEmpty()) {
                s.setString(4, RevisionedStore.prefixEnd(prefix));
            }
            List<WatchEvent> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    KeyValue prev = r.getString(7) == null ? null : keyValue(r, 7);
                    if (r.getInt(6) == 1) {
                        events.add(new WatchEvent(WatchEvent.Type.DELETE, tombstone(r.getString(1), r.getLong(4)), prev));
                    } else {
                        events.add(new WatchEvent(WatchEvent.Type.PUT, keyValue(r, 1), prev));
                    }
                }
            }
            return events;
        }
    }

    /** The key of a DELETE event: no value, and only the deletion's revision. */
    static KeyValue tombstone(String key, long revision) {
        return new KeyValue(key, null, 0, revision, 0);
    }

    private static void requireNotCompacted(Connection c, long revision) throws SQLException {
        long compacted = compactedRevision(c);
        if (revision < compacted) {
            throw new CompactedException(revision, compacted);
        }
    }

    /** Reads key, value, create_revision, revision, version from five columns starting at {@code first}. */
    private static KeyValue keyValue(ResultSet r, int first) throws SQLException {
        byte[] value = r.getBytes(first + 1);
        return new KeyValue(
                r.getString(first),
                value == null ? new byte[0] : value, // a live row's empty value may come back as SQL NULL
                r.getLong(first + 2),
                r.getLong(first + 3),
                r.getLong(first + 4));
    }
}
