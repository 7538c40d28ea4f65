package dev.strongroom.store;

/**
 * A revisioned key-value store with etcd semantics: one global revision counter bumped by every write, reads at a
 * revision, conditional writes on a key's mod revision, watches from a revision, and compaction of old revisions.
 * Kubernetes' storage layer relies on exactly these; an engine (SQLite, etcd, memory) implements them.
 *
 * <p>Keys are strings such as {@code /registry/secrets/default/my-secret}. A write returns only once it is durable.
 * All methods are thread-safe.
 */
public interface RevisionedStore extends AutoCloseable {

    /** Precondition for {@link #put}/{@link #delete}: apply whatever the key's current state. */
    long ANY = -1;
    /** Precondition for {@link #put}: the key must not exist (create). */
    long ABSENT = 0;

    /** The revision of the latest write (0 for an empty store). */
    long currentRevision();

    /** The revision below which history has been discarded (0 if never compacted). */
    long compactedRevision();

    /** The latest state of {@code key}, or null if absent. */
    KeyValue get(String key);

    /**
     * Keys in {@code [fromKey, endKey)} as they were at {@code revision}, sorted by key.
     *
     * @param revision 0 for the current revision; otherwise a revision &lt;= current
     * @param limit    maximum number of keys to return, 0 for no limit
     * @throws CompactedException if {@code revision} is older than the compacted revision
     */
    RangeResult range(String fromKey, String endKey, long revision, int limit);

    /**
     * Writes {@code value} under {@code key} if the key's current mod revision equals {@code expectedModRevision}
     * ({@link #ABSENT}: the key must not exist; {@link #ANY}: unconditional). Returns once durable.
     */
    TxnResult put(String key, byte[] value, long expectedModRevision);

    /** Deletes {@code key} under the same precondition rules as {@link #put}. Deleting an absent key fails. */
    TxnResult delete(String key, long expectedModRevision);

    /**
     * Delivers every change to keys starting with {@code prefix} with a revision greater than {@code afterRevision},
     * first the history, then live changes, in revision order.
     *
     * @throws CompactedException if history after {@code afterRevision} is no longer complete
     */
    Watch watch(String prefix, long afterRevision, WatchListener listener);

    /** Discards history older than {@code revision}; the latest state of every key is kept. */
    void compact(long revision);

    @Override
    void close();

    /** The exclusive end key of a prefix range, as etcd's {@code clientv3.GetPrefixRangeEnd}. */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }
}
