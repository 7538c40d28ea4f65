package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.json.Json;
import dev.strongroom.crypto.DecryptionException;
import dev.strongroom.crypto.ValueTransformer;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.store.CompactedException;
import dev.strongroom.store.KeyValue;
import dev.strongroom.store.RangeResult;
import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.TxnResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Objects of one resource in the revisioned store, encrypted at rest. Objects are stored as canonical JSON without
 * {@code resourceVersion} (the store's mod revision is the resource version, as in etcd), encrypted by the value
 * transformer with the store key as associated data. Decrypted objects live only as long as a request.
 */
public final class ResourceStore {
    private final ResourceDef def;
    private final RevisionedStore store;
    private final ValueTransformer transformer;

    public record Stored(ObjectNode object, long modRevision) {}

    /** One page of a list, at a consistent revision. */
    public record Page(List<ObjectNode> items, long revision, String continueToken, Long remainingItemCount) {}

    public ResourceStore(ResourceDef def, RevisionedStore store, ValueTransformer transformer) {
        this.def = def;
        this.store = store;
        this.transformer = transformer;
    }

    public ResourceDef def() { return def; }

    public RevisionedStore revisioned() { return store; }

    public Stored get(String namespace, String name) {
        KeyValue kv = store.get(def.key(namespace, name));
        return kv == null ? null : new Stored(decode(kv), kv.modRevision());
    }

    public KeyValue getRaw(String namespace, String name) {
        return store.get(def.key(namespace, name));
    }

    /** Decrypts and parses one stored value, stamping its resource version. */
    public ObjectNode decode(KeyValue kv) {
        byte[] plain;
        try {
            plain = transformer.transformFromStorage(kv.value(), kv.key().getBytes(StandardCharsets.UTF_8)).plaintext();
        } catch (DecryptionException e) {
            throw ApiException.internal("unable to transform key \"" + kv.key() + "\": " + e.getMessage());
        }
        try {
            ObjectNode obj = (ObjectNode) Json.MAPPER.readTree(plain);
            return Meta.canonical(obj, def.strategy(), Long.toString(kv.modRevision()));
        } catch (IOException | ClassCastException e) {
            throw ApiException.internal("stored object at \"" + kv.key() + "\" is not valid JSON");
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The served JSON of a stored object without a parse/serialize round trip: the stored plaintext is already the
     * canonical JSON minus {@code resourceVersion}, which is spliced in after {@code uid} (its place in Go's field
     * order). Returns null when the bytes do not have the expected shape; callers then use {@link #decode}.
     *
     * @param withTypeMeta false for list items, which carry no kind/apiVersion
     */
    public byte[] servedBytes(KeyValue kv, boolean withTypeMeta) {
        byte[] plain;
        try {
            plain = transformer.transformFromStorage(kv.value(), kv.key().getBytes(StandardCharsets.UTF_8)).plaintext();
        } catch (DecryptionException e) {
            throw ApiException.internal("unable to transform key \"" + kv.key() + "\": " + e.getMessage());
        }
        try {
            return JsonSplice.withResourceVersion(plain, Long.toString(kv.modRevision()), withTypeMeta);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /** Like {@link #list} without decoding: the raw values of one page (no selectors). */
    public record RawPage(List<KeyValue> kvs, long revision, String continueToken, Long remainingItemCount) {}

    public RawPage listRaw(String namespace, int limit, String continueToken) {
        String prefix = def.prefix(namespace);
        String end = RevisionedStore.prefixEnd(prefix);
        long atRevision = 0;
        String from = prefix;
        if (continueToken != null && !continueToken.isEmpty()) {
            ContinueToken t = ContinueToken.decode(continueToken);
            atRevision = t.revision();
            from = prefix + t.start();
        }
        RangeResult range;
        try {
            range = store.range(from, end, atRevision, limit);
        } catch (CompactedException e) {
            throw expiredContinue();
        }
        String next = null;
        Long remaining = null;
        if (range.remaining() > 0 && !range.kvs().isEmpty()) {
            String lastKey = range.kvs().get(range.kvs().size() - 1).key();
            next = new ContinueToken(range.revision(), lastKey.substring(prefix.length()) + "\0").encode();
            remaining = range.remaining();
        }
        return new RawPage(range.kvs(), range.revision(), next, remaining);
    }

    private static ApiException expiredContinue() {
        return ApiException.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
    }

    private byte[] encode(String key, ObjectNode obj) {
        ObjectNode canonical = Meta.canonical(obj, def.strategy(), null);
        byte[] plain = Json.bytes(canonical);
        try {
            return transformer.transformToStorage(plain, key.getBytes(StandardCharsets.UTF_8));
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /** The canonical form a write would store, for no-op detection (no resource version). */
    public byte[] canonicalBytes(ObjectNode obj) {
        return Json.bytes(Meta.canonical(obj, def.strategy(), null));
    }

    public Stored create(ObjectNode obj, boolean dryRun) {
        String key = def.key(Meta.namespace(obj), Meta.name(obj));
        if (dryRun) {
            if (store.get(key) != null) throw ApiException.alreadyExists(def.groupResource(), Meta.name(obj));
            return new Stored(Meta.canonical(obj, def.strategy(), null), 0);
        }
        TxnResult r = store.put(key, encode(key, obj), RevisionedStore.ABSENT);
        if (!r.succeeded()) throw ApiException.alreadyExists(def.groupResource(), Meta.name(obj));
        return new Stored(Meta.canonical(obj, def.strategy(), Long.toString(r.revision())), r.revision());
    }

    /**
     * Writes {@code obj} if the stored object still has {@code expectedModRevision}.
     *
     * @return the stored object, or null if the precondition failed (the caller re-reads and retries or reports 409)
     */
    public Stored update(ObjectNode obj, long expectedModRevision, boolean dryRun) {
        String key = def.key(Meta.namespace(obj), Meta.name(obj));
        if (dryRun) return new Stored(Meta.canonical(obj, def.strategy(), Long.toString(expectedModRevision)), expectedModRevision);
        TxnResult r = store.put(key, encode(key, obj), expectedModRevision);
        if (!r.succeeded()) return null;
        return new Stored(Meta.canonical(obj, def.strategy(), Long.toString(r.revision())), r.revision());
    }

    /** @return the deletion's revision, or -1 if the precondition failed or the object is gone */
    public long delete(String namespace, String name, long expectedModRevision, boolean dryRun) {
        if (dryRun) return expectedModRevision;
        TxnResult r = store.delete(def.key(namespace, name), expectedModRevision);
        return r.succeeded() ? r.revision() : -1;
    }

    /**
     * Lists matching objects. Pages are taken at one revision: a continue token carries it, so later pages show the
     * same snapshot as the first (410 Expired if compaction discarded it).
     */
    public Page list(String namespace, LabelSelector labels, FieldSelector fields, int limit, String continueToken) {
        String prefix = def.prefix(namespace);
        String end = RevisionedStore.prefixEnd(prefix);
        long atRevision = 0;
        String from = prefix;
        if (continueToken != null && !continueToken.isEmpty()) {
            ContinueToken t = ContinueToken.decode(continueToken);
            atRevision = t.revision();
            from = prefix + t.start();
        }
        // A name-equality field selector in a namespace names one key: read just that.
        String onlyName = fields.requiredValue("metadata.name");
        if (onlyName != null && (namespace.length() > 0 || !def.namespaced()) && atRevision == 0) {
            from = def.key(namespace, onlyName);
            end = from + "\0";
        }
        RangeResult range;
        try {
            range = store.range(from, end, atRevision, 0);
        } catch (CompactedException e) {
            throw expiredContinue();
        }
        List<ObjectNode> items = new ArrayList<>();
        List<KeyValue> kvs = range.kvs();
        boolean filtering = !labels.isEmpty() || !fields.isEmpty();
        int i = 0;
        for (; i < kvs.size(); i++) {
            if (limit > 0 && items.size() >= limit) break;
            ObjectNode obj = decode(kvs.get(i));
            if (filtering && !matches(obj, labels, fields)) continue;
            items.add(obj);
        }
        String next = null;
        Long remaining = null;
        if (i < kvs.size()) {
            String lastKey = kvs.get(i - 1).key();
            next = new ContinueToken(range.revision(), lastKey.substring(prefix.length()) + "\0").encode();
            if (!filtering) remaining = (long) (kvs.size() - i);
        }
        return new Page(items, range.revision(), next, remaining);
    }

    public boolean matches(ObjectNode obj, LabelSelector labels, FieldSelector fields) {
        return labels.matches(Meta.labels(obj)) && fields.matches(def.strategy().selectableFields(obj));
    }

    /** Upstream's continue token: base64url of {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}}. */
    record ContinueToken(long revision, String start) {
        String encode() {
            ObjectNode o = Json.object();
            o.put("v", "meta.k8s.io/v1");
            o.put("rv", revision);
            o.put("start", start);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(o));
        }

        static ContinueToken decode(String token) {
            try {
                JsonNode o = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
                if (!"meta.k8s.io/v1".equals(o.path("v").asText())) throw new IllegalArgumentException("unknown version");
                long rv = o.path("rv").asLong(0);
                String start = o.path("start").asText("");
                if (rv <= 0 || start.isEmpty()) throw new IllegalArgumentException("incomplete");
                if (start.startsWith("/") || start.contains("..")) throw new IllegalArgumentException("bad start key");
                return new ContinueToken(rv, start);
            } catch (IOException | IllegalArgumentException e) {
                throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }
}
