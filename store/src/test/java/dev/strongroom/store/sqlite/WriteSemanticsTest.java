package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ABSENT;
import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static dev.strongroom.store.sqlite.TestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.StoreException;
import dev.strongroom.store.TxnResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd-style write rules: create-if-absent, compare-and-swap on the mod revision, delete, versions. */
class WriteSemanticsTest {

    @TempDir Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void emptyStoreIsAtRevisionZero() {
        assertThat(store.currentRevision()).isZero();
        assertThat(store.compactedRevision()).isZero();
        assertThat(store.get("/a")).isNull();
    }

    @Test
    void createIfAbsentSucceedsOnceThenReportsTheExistingKey() {
        TxnResult created = store.put("/a", bytes("one"), ABSENT);

        assertThat(created.succeeded()).isTrue();
        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.previous()).isNull();
        assertThat(describe(created.current())).isEqualTo(describe(new KeyValue("/a", bytes("one"), 1, 1, 1)));

        TxnResult again = store.put("/a", bytes("two"), ABSENT);

        assertThat(again.succeeded()).isFalse();
        assertThat(again.revision()).as("a failed write reports the current revision").isEqualTo(1);
        assertThat(describe(again.current())).isEqualTo(describe(created.current()));
        assertThat(text(store.get("/a").value())).isEqualTo("one");
        assertThat(store.currentRevision()).as("a failed write takes no revision").isEqualTo(1);
    }

    @Test
    void compareAndSwapOnModRevision() {
        store.put("/other", bytes("x"), ANY); // revision 1, so that mod and create revisions differ below
        KeyValue v1 = store.put("/a", bytes("one"), ABSENT).current();

        TxnResult swapped = store.put("/a", bytes("two"), v1.modRevision());

        assertThat(swapped.succeeded()).isTrue();
        assertThat(describe(swapped.current())).isEqualTo(describe(new KeyValue("/a", bytes("two"), 2, 3, 2)));
        assertThat(describe(swapped.previous())).isEqualTo(describe(v1));

        TxnResult stale = store.put("/a", bytes("three"), v1.modRevision());

        assertThat(stale.succeeded()).isFalse();
        assertThat(stale.revision()).isEqualTo(3);
        assertThat(describe(stale.current())).isEqualTo(describe(swapped.current()));
        assertThat(text(store.get("/a").value())).isEqualTo("two");
    }

    @Test
    void compareAndSwapOnAMissingKeyFails() {
        TxnResult result = store.put("/a", bytes("one"), 7);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.current()).isNull();
        assertThat(store.get("/a")).isNull();
    }

    @Test
    void unconditionalPutCreatesAndOverwrites() {
        TxnResult created = store.put("/a", bytes("one"), ANY);
        TxnResult overwritten = store.put("/a", bytes("two"), ANY);

        assertThat(created.succeeded()).isTrue();
        assertThat(created.previous()).isNull();
        assertThat(overwritten.succeeded()).isTrue();
        assertThat(describe(overwritten.current())).isEqualTo(describe(new KeyValue("/a", bytes("two"), 1, 2, 2)));
        assertThat(describe(overwritten.previous())).isEqualTo(describe(created.current()));
    }

    @Test
    void deleteHonoursItsPrecondition() {
        KeyValue v1 = store.put("/a", bytes("one"), ABSENT).current();
        KeyValue v2 = store.put("/a", bytes("two"), ANY).current();

        TxnResult stale = store.delete("/a", v1.modRevision());
        assertThat(stale.succeeded()).isFalse();
        assertThat(describe(stale.current())).isEqualTo(describe(v2));
        assertThat(store.get("/a")).isNotNull();

        TxnResult deleted = store.delete("/a", v2.modRevision());
        assertThat(deleted.succeeded()).isTrue();
        assertThat(deleted.revision()).isEqualTo(3);
        assertThat(deleted.current()).isNull();
        assertThat(describe(deleted.previous())).isEqualTo(describe(v2));
        assertThat(store.get("/a")).isNull();
        assertThat(store.currentRevision()).isEqualTo(3);
    }

    @Test
    void deletingAnAbsentKeyFailsWhateverThePrecondition() {
        store.put("/b", bytes("x"), ANY);

        assertThat(store.delete("/a", ANY).succeeded()).isFalse();
        assertThat(store.delete("/a", ABSENT).succeeded()).isFalse();
        assertThat(store.delete("/b", ABSENT).succeeded()).as("ABSENT can never hold for an existing key").isFalse();
        assertThat(store.currentRevision()).isEqualTo(1);
    }

    @Test
    void recreatingADeletedKeyStartsANewLife() {
        store.put("/a", bytes("one"), ABSENT);
        store.put("/a", bytes("two"), ANY);
        store.delete("/a", ANY);

        TxnResult recreated = store.put("/a", bytes("three"), ABSENT);

        assertThat(recreated.succeeded()).isTrue();
        assertThat(recreated.previous()).as("the key did not exist").isNull();
        assertThat(describe(recreated.current())).isEqualTo(describe(new KeyValue("/a", bytes("three"), 4, 4, 1)));
        assertThat(store.put("/a", bytes("four"), ANY).current().version()).isEqualTo(2);
    }

    @Test
    void storeKeepsItsOwnCopyOfTheValue() {
        byte[] buffer = bytes("one");
        store.put("/a", buffer, ANY);
        buffer[0] = 'X';

        assertThat(text(store.get("/a").value())).isEqualTo("one");
    }

    @Test
    void emptyValuesAreValues() {
        store.put("/a", new byte[0], ANY);

        assertThat(store.get("/a").value()).isEmpty();
        assertThat(store.range("/a", "/b", 1, 0).kvs().getFirst().value()).isEmpty();
    }

    @Test
    void rejectsMalformedArguments() {
        assertThatThrownBy(() -> store.put("", bytes("x"), ANY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(null, bytes("x"), ANY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("/a", null, ANY)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put("/a", bytes("x"), -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.range("/a", "/b", 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.currentRevision()).isZero();
    }

    @Test
    void everyOperationFailsAfterClose() {
        store.put("/a", bytes("one"), ANY);
        store.close();
        store.close(); // twice is harmless

        assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put("/a", bytes("x"), ANY)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.delete("/a", ANY)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.range("/", "0", 0, 0)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.watch("/", 0, new CollectingListener())).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.compact(1)).isInstanceOf(StoreException.class);
    }
}
