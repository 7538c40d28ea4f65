package dev.strongroom.store;

/**
 * One version of one key, as etcd's {@code mvccpb.KeyValue}. The value is whatever the layer above
 * stored (ciphertext for secrets); the store never interprets it.
 *
 * @param createRevision revision of the put that created this key (since its last deletion)
 * @param modRevision    revision of the last put (or, in a DELETE event, of the deletion)
 * @param version        number of puts since creation, starting at 1
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
    @Override
    public String toString() { // never print the value
        return "KeyValue[" + key + ", create=" + createRevision + ", mod=" + modRevision + ", version=" + version + "]";
    }
}
