package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ANY;
import static dev.strongroom.store.RevisionedStore.prefixEnd;
import static dev.strongroom.store.sqlite.TestSupport.bytes;
import static dev.strongroom.store.sqlite.TestSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range reads: key order, limit and remaining, paging with fromKey, and reads at older revisions. */
class RangeTest {

    static final String PREFIX = "/registry/secrets/default/";

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
    void returnsTheKeysOfTheRangeInKeyOrder() {
        for (String name : List.of("c", "a", "b")) {
            store.put(PREFIX + name, bytes(name), ANY);
        }
        store.put("/registry/secrets/default0", bytes("outside"), ANY); // exactly the (exclusive) end key
        store.put("/registry/secrets/default", bytes("outside"), ANY); // sorts just before the prefix

        RangeResult result = store.range(PREFIX, prefixEnd(PREFIX), 0, 0);

        assertThat(result.kvs()).extracting(KeyValue::key).containsExactly(PREFIX + "a", PREFIX + "b", PREFIX + "c");
        assertThat(result.revision()).isEqualTo(5);
        assertThat(result.remaining()).isZero();
        assertThat(store.range(PREFIX, null, 0, 0).kvs()).as("null endKey: no upper bound").hasSize(4);
        assertThat(store.range(PREFIX + "b", PREFIX + "b", 0, 0).kvs()).isEmpty();
    }

    @Test
    void limitReportsHowManyKeysRemainAndFromKeyPagesThroughAll() {
        for (int i = 0; i < 25; i++) {
            store.put(PREFIX + "s%02d".formatted(i), bytes("v" + i), ANY);
        }

        RangeResult first = store.range(PREFIX, prefixEnd(PREFIX), 0, 10);
        assertThat(first.kvs()).hasSize(10);
        assertThat(first.remaining()).isEqualTo(15);

        // Kubernetes' continue token: the next page starts just after the last key returned.
        List<String> seen = new ArrayList<>();
        String from = PREFIX;
        RangeResult page;
        do {
            page = store.range(from, prefixEnd(PREFIX), 0, 10);
            page.kvs().forEach(kv -> seen.add(kv.key()));
            from = page.kvs().getLast().key() + "\0";
        } while (page.remaining() > 0);

        assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
        assertThat(page.kvs()).hasSize(5);
    }

    @Test
    void rangeAtAnOlderRevisionSeesTheStateOfThatRevision() {
        Random random = new Random(42);
        Map<Long, List<String>> snapshots = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String key = PREFIX + "k" + random.nextInt(20);
            if (random.nextInt(4) == 0) {
                store.delete(key, ANY);
            } else {
                store.put(key, bytes("value " + i), ANY);
            }
            RangeResult now = store.range(PREFIX, prefixEnd(PREFIX), 0, 0);
            snapshots.put(now.revision(), describe(now.kvs()));
        }
        assertThat(snapshots.keySet()).as("deletes of absent keys do not add revisions").hasSizeGreaterThan(150);

        snapshots.remove(0L); // revision 0 asks for the current state, not the empty store
        snapshots.forEach((revision, expected) -> {
            RangeResult past = store.range(PREFIX, prefixEnd(PREFIX), revision, 0);
            assertThat(past.revision()).isEqualTo(revision);
            assertThat(describe(past.kvs())).as("range at revision %d", revision).isEqualTo(expected);
        });
    }

    @Test
    void limitAndRemainingAtAnOlderRevision() {
        for (int i = 0; i < 6; i++) {
            store.put(PREFIX + i, bytes("v"), ANY);
        }
        long sixKeys = store.currentRevision();
        store.delete(PREFIX + 0, ANY);
        store.delete(PREFIX + 1, ANY);

        RangeResult past = store.range(PREFIX, prefixEnd(PREFIX), sixKeys, 4);

        assertThat(past.kvs()).extracting(KeyValue::key).containsExactly(PREFIX + 0, PREFIX + 1, PREFIX + 2, PREFIX + 3);
        assertThat(past.remaining()).isEqualTo(2);
        assertThat(store.range(PREFIX, prefixEnd(PREFIX), 0, 4).remaining()).isZero();
    }

    @Test
    void rangeAtTheCurrentRevisionEqualsRangeAtZero() {
        store.put(PREFIX + "a", bytes("1"), ANY);
        store.put(PREFIX + "b", bytes("2"), ANY);

        RangeResult explicit = store.range(PREFIX, prefixEnd(PREFIX), store.currentRevision(), 0);

        assertThat(describe(explicit.kvs())).isEqualTo(describe(store.range(PREFIX, prefixEnd(PREFIX), 0, 0).kvs()));
        assertThat(explicit.revision()).isEqualTo(2);
    }

    @Test
    void aFutureRevisionIsRejected() {
        store.put(PREFIX + "a", bytes("1"), ANY);

        assertThatThrownBy(() -> store.range(PREFIX, prefixEnd(PREFIX), 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("future");
    }
}
