package dev.strongroom.store;

import java.util.List;

/**
 * The keys of a range read, sorted by key.
 *
 * @param revision  the store revision the read was served at (a snapshot: every kv has modRevision &lt;= revision)
 * @param remaining how many more keys in the range exist after the returned ones (0 when not truncated)
 */
public record RangeResult(List<KeyValue> kvs, long revision, long remaining) {}
