package dev.strongroom.store;

/** A running watch. Closing it stops delivery; closing twice is harmless. */
public interface Watch extends AutoCloseable {
    /**
     * The revision up to which this watch has been delivered every matching event. Events with a higher revision
     * may still arrive. Used for bookmarks, which must never claim a revision the watcher has not fully seen.
     */
    long progressRevision();

    @Override
    void close();
}
