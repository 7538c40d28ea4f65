package dev.strongroom.store;

/**
 * A change to one key. For {@link Type#PUT}, {@code kv} is the new state and {@code prevKv} the state before it
 * (null on create). For {@link Type#DELETE}, {@code kv} has the key, a null value and {@code modRevision} = the
 * deletion's revision; {@code prevKv} is the last state before the deletion.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    public long revision() { return kv.modRevision(); }
}
