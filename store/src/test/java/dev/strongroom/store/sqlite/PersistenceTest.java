package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ABSENT;
import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.store.RangeResult;
import dev.strongroom.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a close and reopen, and how the file is protected on disk. */
class PersistenceTest {

    @TempDir Path dir;

    @Test
    void reopeningRestoresStateRevisionAndHistory() {
        Path file = dir.resolve("store.db");
        List<String> before;
        List<String> atRevisionThree;
        try (SqliteStore store = SqliteStore.open(file)) {
            store.put("/p/a", bytes("one"), ABSENT);
            store.put("/p/b", bytes("two"), ABSENT);
            store.put("/p/a", bytes("three"), ANY);
            store.put("/p/c", new byte[0], ABSENT);
            store.delete("/p/b", ANY);
            before = describe(store.range("/p/", "/p0", 0, 0).kvs());
            atRevisionThree = describe(store.range("/p/", "/p0", 3, 0).kvs());
        }

        try (SqliteStore reopened = SqliteStore.open(file)) {
            RangeResult now = reopened.range("/p/", "/p0", 0, 0);
            assertThat(now.revision()).isEqualTo(5);
            assertThat(describe(now.kvs())).isEqualTo(before).hasSize(2);
            assertThat(describe(reopened.range("/p/", "/p0", 3, 0).kvs())).isEqualTo(atRevisionThree);
            assertThat(reopened.get("/p/b")).isNull();
            assertThat(reopened.get("/p/a").version()).isEqualTo(2);

            assertThat(reopened.put("/p/d", bytes("four"), ABSENT).revision())
                    .as("revisions continue where they stopped").isEqualTo(6);
            assertThat(reopened.put("/p/a", bytes("five"), 3).succeeded()).as("CAS against the reloaded index").isTrue();
        }
    }

    @Test
    void createsMissingDirectoriesAndKeepsFilesPrivate() throws Exception {
        Path file = dir.resolve("deep/er/store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.put("/a", bytes("x"), ANY);

            for (String name : List.of("store.db", "store.db-wal", "store.db-shm")) {
                Path p = file.resolveSibling(name);
                assertThat(p).exists();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                        .as(name).isEqualTo("rw-------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedWhileTheFirstIsOpen() {
        Path file = dir.resolve("store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.put("/a", bytes("x"), ANY);

            assertThatThrownBy(() -> SqliteStore.open(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open");
        }
        try (SqliteStore again = SqliteStore.open(file)) {
            assertThat(again.get("/a")).isNotNull();
        }
    }

    @Test
    void refusesAFileFromANewerSchema() throws Exception {
        Path file = dir.resolve("store.db");
        SqliteStore.open(file).close();
        try (var c = TestSupport.rawConnection(file); var s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Database.SCHEMA_VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version");
        // The failed open released the file: fixing the version makes it usable again.
        try (var c = TestSupport.rawConnection(file); var s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + Database.SCHEMA_VERSION);
        }
        SqliteStore.open(file).close();
    }
}
