package dev.strongroom.store;

/**
 * The outcome of a conditional write.
 *
 * @param succeeded whether the precondition held and the write was applied (and is durable)
 * @param revision  on success the revision of this write; on failure the store's current revision
 * @param current   on success the new state (null after a delete); on failure the current state (null if absent)
 * @param previous  on success the state before the write (null if the key did not exist)
 */
public record TxnResult(boolean succeeded, long revision, KeyValue current, KeyValue previous) {}
