package dev.strongroom.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.WatchEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.sqlite.SQLiteConfig;

/** Small helpers shared by the store tests. */
final class TestSupport {

    /** Generous: the machine is shared, and a correct store meets every condition long before this. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private TestSupport() {}

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    /** A KeyValue as comparable text: the record's equals compares value arrays by identity. */
    static String describe(KeyValue kv) {
        if (kv == null) {
            return "null";
        }
        return kv.key() + "@create=" + kv.createRevision() + ",mod=" + kv.modRevision() + ",version=" + kv.version()
                + ",value=" + (kv.value() == null ? "null" : HexFormat.of().formatHex(kv.value()));
    }

    static List<String> describe(List<KeyValue> kvs) {
        return kvs.stream().map(TestSupport::describe).toList();
    }

    static String describe(WatchEvent e) {
        return e.type() + " " + describe(e.kv()) + " prev " + describe(e.prevKv());
    }

    /** Polls {@code condition} until it holds; fails the test after {@link #DEADLINE}. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** A plain connection to the store's file, as an operator's sqlite3 shell would open it. */
    static Connection rawConnection(Path dbFile) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + dbFile);
    }
}
