package dev.strongroom.store.sqlite;

import dev.strongroom.store.TxnResult;
import java.util.concurrent.CompletableFuture;

/** A request queued for the writer thread; the caller waits on {@link #done()}. */
sealed interface WriteOp {

    CompletableFuture<?> done();

    /** A conditional put (see {@link dev.strongroom.store.RevisionedStore#put}); {@code value} is the store's copy. */
    record Put(String key, byte[] value, long expectedModRevision, CompletableFuture<TxnResult> done)
            implements WriteOp {
        @Override
        public String toString() { // never print the value
            return "Put[" + key + ", expected=" + expectedModRevision + "]";
        }
    }

    record Delete(String key, long expectedModRevision, CompletableFuture<TxnResult> done) implements WriteOp {}

    record Compact(long revision, CompletableFuture<Void> done) implements WriteOp {}

    /** Queued by close: the writer commits what is ahead of it, then fails whatever follows. */
    record Stop(CompletableFuture<Void> done) implements WriteOp {}
}
