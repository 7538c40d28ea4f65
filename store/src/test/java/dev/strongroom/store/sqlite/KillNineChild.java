package dev.strongroom.store.sqlite;

import static dev.strongroom.store.RevisionedStore.ABSENT;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strongroom.store.TxnResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link KillNineDurabilityTest}: writes from many threads until it is killed, printing a line
 * for every write only after {@code put} has returned, i.e. after the store acknowledged it as durable.
 */
public final class KillNineChild {

    private KillNineChild() {}

    /** The value written under {@code key}, so the parent can check it without being told. */
    static byte[] valueFor(String key) {
        return ("value of " + key).getBytes(UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int writers = Integer.parseInt(args[1]);
        // Auto-flush, and one write(2) per line: a line is either wholly in the pipe or not at all.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        SqliteStore store = SqliteStore.open(file);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread.ofVirtual().start(() -> {
                for (int i = 0; ; i++) {
                    String key = "/kill/" + writer + "/" + i;
                    TxnResult result = store.put(key, valueFor(key), ABSENT);
                    if (!result.succeeded()) {
                        System.exit(3); // cannot happen: every key is new
                    }
                    out.print("ACK " + key + " " + result.revision() + " .\n");
                }
            });
        }
        Thread.currentThread().join(); // until killed
    }
}
