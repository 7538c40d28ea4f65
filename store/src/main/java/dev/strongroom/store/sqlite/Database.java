package dev.strongroom.store.sqlite;

import dev.strongroom.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file on disk: creates it privately, makes sure only one process uses it, creates the schema and opens
 * connections configured for durability (WAL, {@code synchronous=FULL}).
 *
 * <h2>Schema</h2>
 * Log-structured like kine: one row per revision, never updated in place; compaction deletes superseded rows.
 * <pre>
 * kv(revision INTEGER PRIMARY KEY, key, create_revision, prev_revision, version, deleted, value)
 * meta(name PRIMARY KEY, value)   -- 'compacted_revision'
 * </pre>
 * A delete is a row with {@code deleted = 1}, a null value and zero create_revision/version (a tombstone).
 * {@code prev_revision} is the revision of the key's previous live row (0 on create), which gives watch replay its
 * {@code prevKv}.
 */
final class Database implements AutoCloseable {

    /** Bumped when the schema changes incompatibly; stored in {@code PRAGMA user_version}. */
    static final int SCHEMA_VERSION = 1;

    /** How long a write waits for another connection's write lock (only outside tools ever hold one). */
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS kv (
          revision        INTEGER PRIMARY KEY,
          key             TEXT    NOT NULL,
          create_revision INTEGER NOT NULL,
          prev_revision   INTEGER NOT NULL,
          version         INTEGER NOT NULL,
          deleted         INTEGER NOT NULL,
          value           BLOB
        )""",
        "CREATE INDEX IF NOT EXISTS kv_key_revision ON kv (key, revision)",
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        "PRAGMA user_version = " + SCHEMA_VERSION,
    };

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Database(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the parent directories and the file if needed, takes the process lock and creates the schema. */
    static Database open(Path dbFile) {
        Path file = dbFile.toAbsolutePath();
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(file.getParent(), privateAttributes("rwx------"));
            // A second process writing the same file would keep its own in-memory index and hand out the same
            // revisions twice. SQLite's own locks only serialise transactions, so hold an exclusive lock on a
            // side file for as long as the store is open (released by the OS if the process dies).
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            createPrivateFile(lockFile);
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockChannel, file);
            createPrivateFile(file);
            Database db = new Database(file, lockChannel, lock);
            db.createSchema();
            return db;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StoreException("cannot open store file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Opens a connection for the writer: WAL, fsync on every commit. */
    Connection connectForWriting() throws SQLException {
        Connection c = config().createConnection(url());
        verifyDurability(c);
        return c;
    }

    /** Opens a connection that can only read; WAL lets it read a snapshot while the writer commits. */
    Connection connectForReading() throws SQLException {
        Connection c = config().createConnection(url());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private String url() {
        return "jdbc:sqlite:" + file;
    }

    private static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL in WAL mode fsyncs the WAL on every commit: a commit that returned survives power loss.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        return config;
    }

    /** Durability is the point of this engine, so check the pragmas took effect rather than assume it. */
    private void verifyDurability(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String journalMode = queryString(s, "PRAGMA journal_mode");
            long synchronous = Long.parseLong(queryString(s, "PRAGMA synchronous"));
            if (!"wal".equalsIgnoreCase(journalMode) || synchronous != 2) {
                throw new StoreException("store file " + file + " cannot use WAL with synchronous=FULL (got journal_mode="
                        + journalMode + ", synchronous=" + synchronous + ")");
            }
        }
    }

    private void createSchema() {
        try (Connection c = connectForWriting(); Statement s = c.createStatement()) {
            long version = Long.parseLong(queryString(s, "PRAGMA user_version"));
            if (version > SCHEMA_VERSION) {
                throw new StoreException("store file " + file + " has schema version " + version
                        + ", newer than this Strongroom understands (" + SCHEMA_VERSION + ")");
            }
            s.execute("BEGIN IMMEDIATE");
            for (String statement : SCHEMA) {
                s.execute(statement);
            }
            s.execute("COMMIT");
        } catch (SQLException e) {
            throw new StoreException("cannot create the schema in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path file) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException("store file " + file + " is in use by another process");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new StoreException("store file " + file + " is already open in this process", e);
        }
    }

    /**
     * Creates {@code path} readable only by its owner, and makes the new directory entry durable. SQLite gives the
     * -wal and -shm files the database file's permissions, so this keeps all of them private.
     */
    private static void createPrivateFile(Path path) throws IOException {
        try {
            Files.createFile(path, privateAttributes("rw-------"));
        } catch (FileAlreadyExistsException e) {
            return; // keep whatever permissions the operator chose
        }
        try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; SQLite's first commit syncs the directory of its WAL.
        }
    }

    private static FileAttribute<?>[] privateAttributes(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing more can be done while already failing or closing
        }
    }
}
