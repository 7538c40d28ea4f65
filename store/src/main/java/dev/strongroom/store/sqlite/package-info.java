/**
 * The embedded engine: {@link dev.strongroom.store.sqlite.SqliteStore}, a revisioned store in one SQLite file.
 *
 * <p>How a write travels: {@code SqliteStore} validates it and hands it to the {@code GroupCommitter}, whose single
 * writer thread evaluates everything queued as one {@code Batch}, appends the batch to the revision log with
 * {@code LogWriter} and commits once (WAL, fsync). Then it updates {@code LatestState} (the in-memory index that serves
 * current reads), hands the events to the {@code WatchHub} (whose notifier thread feeds the watches, each a
 * {@code Watcher} cursor over the log, from the {@code EventRing} of recent events or from SQLite), and only then
 * answers the callers.
 *
 * <p>How an old read travels: {@code ReaderPool} lends a read-only connection and opens a snapshot transaction;
 * {@code LogReader} runs the query. {@code Database} owns the file itself: permissions, the one-process lock, the
 * schema and the connection settings.
 */
package dev.strongroom.store.sqlite;
