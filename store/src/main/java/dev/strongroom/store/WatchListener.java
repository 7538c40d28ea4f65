package dev.strongroom.store;

import java.util.List;

/**
 * Receives a watch's events. Called from the store's notifier thread, in revision order, never concurrently for one
 * watch. Implementations must not block: hand the events to another thread or queue.
 */
public interface WatchListener {
    void onEvents(List<WatchEvent> events);

    /** The store is closing, or the watch fell too far behind and was cancelled. No more events follow. */
    default void onClosed(String reason) {}
}
