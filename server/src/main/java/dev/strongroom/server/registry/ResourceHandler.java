package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.DecodeException;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.codec.StrictDecoding;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.meta.ManagedFields;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;
import dev.strongroom.server.transport.HttpTransport;
import dev.strongroom.server.transport.MediaTypes;
import dev.strongroom.server.transport.Pretty;
import dev.strongroom.server.watch.WatchStream;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP verbs of one resource, with kube-apiserver's semantics (handlers/create.go, update.go, patch.go,
 * delete.go, get.go and the generic registry store): decoding, defaulting, validation, optimistic concurrency,
 * no-op detection, dry run, managed fields, lists, tables and watches.
 */
public final class ResourceHandler implements Endpoint {
    private static final int MAX_UPDATE_RETRIES = 16;
    private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ResourceStore store;
    private final ResourceDef def;
    private final Admission admission;
    private final Patches patches = new Patches();
    private final Clock clock;
    private final WatchStream.Factory watches;

    /** A resource-specific replacement for delete (namespaces finalise asynchronously). */
    public interface DeleteHook {
        ApiResponse delete(ApiRequest req, ResourceStore.Stored current, boolean dryRun);
    }

    private DeleteHook deleteHook;
    private final java.util.Map<String, Subresource> subresources = new java.util.LinkedHashMap<>();

    public ResourceHandler(ResourceStore store, Admission admission, WatchStream.Factory watches, Clock clock) {
        this.store = store;
        this.def = store.def();
        this.admission = admission;
        this.watches = watches;
        this.clock = clock;
    }

    public ResourceHandler withDeleteHook(DeleteHook hook) {
        this.deleteHook = hook;
        return this;
    }

    /** Serves {@code <resource>/<name>/<subresource>} with {@code handler}. */
    public ResourceHandler withSubresource(Subresource sub) {
        subresources.put(sub.name(), sub);
        return this;
    }

    @Override
    public java.util.List<Subresource> subresources() { return java.util.List.copyOf(subresources.values()); }

    @Override
    public ResourceDef def() { return def; }

    public ResourceStore store() { return store; }

    @Override
    public ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user) {
        if (!info.subresource().isEmpty()) {
            Subresource sub = subresources.get(info.subresource());
            if (sub == null || info.name().isEmpty()) throw ApiException.notFoundPath();
            if (!sub.verbs().contains(info.verb())) {
                throw ApiException.methodNotAllowed(info.verb() + " is not supported on resources of kind \"" + sub.kind() + "\"");
            }
            ResourceStore.Stored parent = store.get(info.namespace(), info.name());
            if (parent == null) throw ApiException.notFound(def.groupResource(), info.name());
            return sub.handler().handle(req, info, user, parent);
        }
        return dispatchVerb(req, info, user);
    }

    private ApiResponse dispatchVerb(ApiRequest req, RequestInfo info, UserInfo user) {
        if (!def.verbs().contains(info.verb())) {
            throw ApiException.methodNotAllowed(info.verb() + " is not supported on resources of kind \"" + def.kind() + "\"");
        }
        return switch (info.verb()) {
            case "get" -> get(req, info);
            case "list" -> list(req, info);
            case "watch" -> watch(req, info);
            case "create" -> create(req, info, user);
            case "update" -> update(req, info, user);
            case "patch" -> patch(req, info, user);
            case "delete" -> delete(req, info);
            case "deletecollection" -> deleteCollection(req, info);
            default -> throw ApiException.methodNotAllowed(info.verb() + " is not supported");
        };
    }

    // ---------------------------------------------------------------- reads

    private ApiResponse get(ApiRequest req, RequestInfo info) {
        String tableVersion = MediaTypes.tableVersion(req.header("Accept"));
        if (tableVersion == null && !Pretty.wanted(req)) {
            // The common case (kubectl -o yaml/json, controllers): serve the stored JSON with no parse/serialize trip.
            var kv = store.getRaw(info.namespace(), info.name());
            if (kv == null) throw ApiException.notFound(def.groupResource(), info.name());
            byte[] served = store.servedBytes(kv, true);
            if (served != null) return new ApiResponse.Full(200, MediaTypes.JSON, withNewline(served));
        }
        ResourceStore.Stored s = store.get(info.namespace(), info.name());
        if (s == null) throw ApiException.notFound(def.groupResource(), info.name());
        String tv = MediaTypes.tableVersion(req.header("Accept"));
        if (tv != null) {
            ObjectNode table = Rendering.table(def, List.of(s.object()), tv, Rendering.IncludeObject.parse(req.param("includeObject")),
                    null, null, null, true);
            return json(req, 200, table);
        }
        return json(req, 200, s.object());
    }

    private ApiResponse list(ApiRequest req, RequestInfo info) {
        LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"), def.strategy().selectableFields(Json.object()).keySet(), def.plural());
        int limit = parseLimit(req.param("limit"));
        String cont = req.param("continue");
        validateListResourceVersion(req, cont);
        String tv = MediaTypes.tableVersion(req.header("Accept"));
        if (tv == null && labels.isEmpty() && fields.isEmpty() && !Pretty.wanted(req)) {
            byte[] fast = rawList(info.namespace(), limit, cont);
            if (fast != null) return new ApiResponse.Full(200, MediaTypes.JSON, fast);
        }
        ResourceStore.Page page = store.list(info.namespace(), labels, fields, limit, cont);
        if (tv != null) {
            return json(req, 200, Rendering.table(def, page.items(), tv, Rendering.IncludeObject.parse(req.param("includeObject")),
                    Long.toString(page.revision()), page.continueToken(), page.remainingItemCount(), true));
        }
        return json(req, 200, Rendering.list(def, page));
    }

    /** A JSON list assembled from the stored bytes of its items (see {@link ResourceStore#servedBytes}). */
    private byte[] rawList(String namespace, int limit, String cont) {
        ResourceStore.RawPage page = store.listRaw(namespace, limit, cont);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + page.kvs().size() * 640);
        StringBuilder head = new StringBuilder(160).append("{\"kind\":\"").append(def.listKind()).append("\",\"apiVersion\":\"")
                .append(def.apiVersion()).append("\",\"metadata\":{\"resourceVersion\":\"").append(page.revision()).append('"');
        if (page.continueToken() != null) head.append(",\"continue\":\"").append(page.continueToken()).append('"');
        if (page.remainingItemCount() != null) head.append(",\"remainingItemCount\":").append(page.remainingItemCount());
        head.append("},\"items\":[");
        out.writeBytes(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean first = true;
        for (var kv : page.kvs()) {
            byte[] item = store.servedBytes(kv, false);
            if (item == null) return null;
            if (!first) out.write(',');
            out.writeBytes(item);
            first = false;
        }
        out.writeBytes("]}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] withNewline(byte[] b) {
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
        out[b.length] = '\n';
        return out;
    }

    private static void validateListResourceVersion(ApiRequest req, String cont) {
        String rv = req.param("resourceVersion");
        String match = req.param("resourceVersionMatch");
        if (match != null && !match.isEmpty()) {
            if (rv == null || rv.isEmpty()) throw listOptionsInvalid("resourceVersionMatch", match, "resourceVersionMatch is forbidden unless resourceVersion is provided");
            if (cont != null && !cont.isEmpty()) throw listOptionsInvalid("resourceVersionMatch", match, "resourceVersionMatch is forbidden when continue is provided");
            if (match.equals("Exact") && rv.equals("0")) throw listOptionsInvalid("resourceVersionMatch", match, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
            if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                throw ApiException.invalid("meta.k8s.io", "ListOptions", "", List.of(FieldError.notSupported("resourceVersionMatch", match, List.of("Exact", "NotOlderThan"))));
            }
        }
        if (rv != null && !rv.isEmpty()) {
            try {
                if (Long.parseLong(rv) < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid resource version: " + rv);
            }
        }
        if ("true".equals(req.param("sendInitialEvents"))) {
            throw listOptionsInvalid("sendInitialEvents", "true", "sendInitialEvents is forbidden for list");
        }
    }

    private static ApiException listOptionsInvalid(String field, String value, String detail) {
        return ApiException.invalid("meta.k8s.io", "ListOptions", "", List.of(FieldError.forbidden(field, detail)));
    }

    private static int parseLimit(String v) {
        if (v == null || v.isEmpty()) return 0;
        try {
            long l = Long.parseLong(v);
            return l <= 0 ? 0 : (int) Math.min(l, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit: invalid value " + v);
        }
    }

    private ApiResponse watch(ApiRequest req, RequestInfo info) {
        LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"), def.strategy().selectableFields(Json.object()).keySet(), def.plural());
        String match = req.param("resourceVersionMatch");
        boolean initial = "true".equals(req.param("sendInitialEvents"));
        if (match != null && !match.isEmpty() && !initial) {
            throw listOptionsInvalid("resourceVersionMatch", match, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
        }
        if (initial && !"NotOlderThan".equals(match)) {
            throw listOptionsInvalid("sendInitialEvents", "true", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
        }
        String rv = req.param("resourceVersion");
        long after;
        if (rv == null || rv.isEmpty() || rv.equals("0")) after = -1;
        else {
            try {
                after = Long.parseLong(rv);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid resource version: " + rv);
            }
        }
        if (initial) after = -1;
        Integer timeout = null;
        String ts = req.param("timeoutSeconds");
        if (ts != null && !ts.isEmpty()) {
            try {
                timeout = Integer.parseInt(ts);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("timeoutSeconds: invalid value " + ts);
            }
        }
        boolean bookmarks = "true".equals(req.param("allowWatchBookmarks"));
        String tv = MediaTypes.tableVersion(req.header("Accept"));
        return watches.open(store, info.namespace(), labels, fields, after, bookmarks, initial, timeout, tv,
                Rendering.IncludeObject.parse(req.param("includeObject")));
    }

    // ---------------------------------------------------------------- writes

    private ApiResponse create(ApiRequest req, RequestInfo info, UserInfo user) {
        boolean dryRun = dryRun(req);
        String validation = fieldValidation(req);
        StrictDecoding.Decoded decoded = Bodies.decode(req, def);
        ObjectNode obj = decoded.object();
        checkTypeMeta(obj);
        List<String> warnings = FieldValidation.check(def, decoded.strictErrors(), validation);
        ObjectNode meta = Meta.meta(obj);
        if (def.namespaced()) {
            String bodyNs = Meta.str(meta, "namespace");
            if (!bodyNs.isEmpty() && !bodyNs.equals(info.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", info.namespace());
        }
        obj.put("kind", def.kind());
        obj.put("apiVersion", def.apiVersion());
        def.strategy().normalize(obj);
        // The field manager sees the object after defaulting and conversion, before the create strategy.
        setManagedFields(obj, null, req, "Update");
        def.strategy().prepareForCreate(obj);
        // System fields are the server's: a body exported with `get -o yaml` may carry old ones.
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        meta.remove("selfLink");
        meta.remove("generation");
        Instant now = clock.instant();
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Meta.time(now));
        if (Meta.str(meta, "name").isEmpty() && !Meta.str(meta, "generateName").isEmpty()) {
            meta.put("name", generateName(Meta.str(meta, "generateName")));
        }
        validate(obj, def.strategy().validate(obj));
        admission.admitCreate(def, obj, user);
        ResourceStore.Stored s = createWithGeneratedNameRetries(obj, dryRun);
        ObjectNode out = s.object();
        if (dryRun) Meta.meta(out).remove("resourceVersion");
        return json(req, 201, out, warnings);
    }

    private ApiResponse update(ApiRequest req, RequestInfo info, UserInfo user) {
        boolean dryRun = dryRun(req);
        String validation = fieldValidation(req);
        StrictDecoding.Decoded decoded = Bodies.decode(req, def);
        ObjectNode obj = decoded.object();
        checkTypeMeta(obj);
        List<String> warnings = FieldValidation.check(def, decoded.strictErrors(), validation);
        ObjectNode meta = Meta.meta(obj);
        String bodyName = Meta.str(meta, "name");
        if (!bodyName.isEmpty() && !bodyName.equals(info.name())) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + info.name() + ")");
        }
        if (def.namespaced()) {
            String bodyNs = Meta.str(meta, "namespace");
            if (!bodyNs.isEmpty() && !bodyNs.equals(info.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }
        String preconditionRv = Meta.str(meta, "resourceVersion");
        ResourceStore.Stored result = guaranteedUpdate(req, info, user, preconditionRv, dryRun, current -> obj.deepCopy(), "Update", null);
        return json(req, 200, result.object(), warnings);
    }

    private ApiResponse patch(ApiRequest req, RequestInfo info, UserInfo user) {
        boolean dryRun = dryRun(req);
        String validation = fieldValidation(req);
        String ct = MediaTypes.base(req.header("Content-Type"));
        boolean apply = ct.equals(MediaTypes.APPLY_PATCH);
        if (!List.of(MediaTypes.MERGE_PATCH, MediaTypes.STRATEGIC_MERGE_PATCH, MediaTypes.JSON_PATCH, MediaTypes.APPLY_PATCH).contains(ct)) {
            throw ApiException.unsupportedMediaType(ct, List.of(MediaTypes.JSON_PATCH, MediaTypes.MERGE_PATCH, MediaTypes.APPLY_PATCH, MediaTypes.STRATEGIC_MERGE_PATCH));
        }
        if (req.param("force") != null && !apply) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.forbidden("force", "may not be specified for non-apply patch")));
        }
        String manager = req.param("fieldManager");
        if (apply && (manager == null || manager.isEmpty())) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.required("fieldManager", "is required for apply patch")));
        }
        byte[] body = req.body();
        List<String> warnings = new ArrayList<>();
        JsonNode applied = apply ? patches.appliedConfig(body, def) : null;
        if (apply && store.get(info.namespace(), info.name()) == null) {
            // Server-side apply creates what does not exist yet.
            ObjectNode obj = decodePatched(def, applied.deepCopy(), validation, warnings);
            return createFromApply(req, info, obj, applied, dryRun, user, warnings);
        }
        boolean force = "true".equals(req.param("force"));
        ResourceStore.Stored result = guaranteedUpdate(req, info, user, null, dryRun,
                current -> decodePatched(def, patches.apply(ct, current.deepCopy(), body, def), validation, warnings),
                apply ? "Apply" : "Update", apply ? new ApplyOptions(applied, force) : null);
        return json(req, 200, result.object(), warnings);
    }

    /** Server-side apply's configuration and conflict policy, for managed fields. */
    record ApplyOptions(JsonNode config, boolean force) {}

    /**
     * A patched object goes through the decoder like a body does; errors name the patch, never its contents (a
     * Secret patch holds secret values, which upstream would echo here).
     */
    private static ObjectNode decodePatched(ResourceDef def, ObjectNode patched, String validation, List<String> warnings) {
        StrictDecoding.Decoded d;
        try {
            d = StrictDecoding.decode(patched, KindSchemas.of(def.apiVersion(), def.kind()));
        } catch (DecodeException e) {
            throw ApiException.invalid(def.group(), def.kind(), Meta.name(patched),
                    List.of(new FieldError(FieldError.Type.INVALID, "patch", FieldError.OMIT, e.getMessage())));
        }
        if (!d.strictErrors().isEmpty()) {
            if (validation.equals("Strict")) {
                throw ApiException.invalid(def.group(), def.kind(), Meta.name(patched),
                        List.of(new FieldError(FieldError.Type.INVALID, "patch", FieldError.OMIT, StrictDecoding.strictErrorMessage(d.strictErrors()))));
            }
            if (validation.equals("Warn")) warnings.addAll(d.strictErrors());
        }
        return d.object();
    }

    private ApiResponse createFromApply(ApiRequest req, RequestInfo info, ObjectNode obj, JsonNode applied, boolean dryRun,
                                        UserInfo user, List<String> warnings) {
        checkTypeMeta(obj);
        ObjectNode meta = Meta.meta(obj);
        String bodyName = Meta.str(meta, "name");
        if (!bodyName.isEmpty() && !bodyName.equals(info.name())) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + info.name() + ")");
        }
        meta.put("name", info.name());
        if (def.namespaced()) meta.put("namespace", info.namespace());
        obj.put("kind", def.kind());
        obj.put("apiVersion", def.apiVersion());
        def.strategy().normalize(obj);
        applyManagedFields(obj, null, applied, req, true);
        def.strategy().prepareForCreate(obj);
        meta.remove("resourceVersion");
        Instant now = clock.instant();
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Meta.time(now));
        validate(obj, def.strategy().validate(obj));
        admission.admitCreate(def, obj, user);
        ResourceStore.Stored s = store.create(obj, dryRun);
        return json(req, 201, s.object(), warnings);
    }

    /** The update loop of the generic registry: read, transform, validate, compare-and-swap, retry on races. */
    private ResourceStore.Stored guaranteedUpdate(ApiRequest req, RequestInfo info, UserInfo user, String preconditionRv, boolean dryRun,
                                                  java.util.function.Function<ObjectNode, ObjectNode> transform, String operation,
                                                  ApplyOptions apply) {
        for (int attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
            ResourceStore.Stored current = store.get(info.namespace(), info.name());
            if (current == null) throw ApiException.notFound(def.groupResource(), info.name());
            String currentRv = Long.toString(current.modRevision());
            if (preconditionRv != null && !preconditionRv.isEmpty() && !preconditionRv.equals(currentRv)) {
                throw ApiException.modified(def.groupResource(), info.name());
            }
            ObjectNode old = current.object();
            ObjectNode obj = transform.apply(old);
            checkTypeMeta(obj);
            ObjectNode meta = Meta.meta(obj);
            // A patch can carry a resourceVersion (kubectl --resource-version): it is a precondition.
            String bodyRv = Meta.str(meta, "resourceVersion");
            if (!bodyRv.isEmpty() && !bodyRv.equals(currentRv)) throw ApiException.modified(def.groupResource(), info.name());
            obj.put("kind", def.kind());
            obj.put("apiVersion", def.apiVersion());
            if (Meta.str(meta, "name").isEmpty()) meta.put("name", info.name());
            if (def.namespaced() && Meta.str(meta, "namespace").isEmpty()) meta.put("namespace", info.namespace());
            ObjectNode oldMeta = Meta.meta(old);
            if (Meta.str(meta, "uid").isEmpty()) meta.put("uid", Meta.str(oldMeta, "uid"));
            copyField(oldMeta, meta, "creationTimestamp");
            copyField(oldMeta, meta, "deletionTimestamp");
            copyField(oldMeta, meta, "deletionGracePeriodSeconds");
            if (!meta.has("managedFields") && oldMeta.has("managedFields")) meta.set("managedFields", oldMeta.get("managedFields"));
            meta.remove("resourceVersion");
            def.strategy().normalize(obj);
            ObjectNode beforeStrategy = obj.deepCopy();
            def.strategy().prepareForUpdate(obj, old);
            List<FieldError> errs = new ArrayList<>(MetaValidation.validateUpdate(obj, old));
            errs.addAll(def.strategy().validateUpdate(obj, old));
            validate(obj, errs);
            admission.admitUpdate(def, obj, old, user);
            // A write that changes nothing is not a write: same resourceVersion, no watch event (upstream too).
            ObjectNode oldNoRv = old.deepCopy();
            Meta.meta(oldNoRv).remove("resourceVersion");
            if (Arrays.equals(store.canonicalBytes(obj), store.canonicalBytes(oldNoRv))) return current;
            if (apply != null) applyManagedFields(obj, oldNoRv, apply.config(), req, apply.force(), beforeStrategy);
            else setManagedFields(obj, oldNoRv, req, operation, beforeStrategy);
            ResourceStore.Stored s = store.update(obj, current.modRevision(), dryRun);
            if (s != null) {
                // The last finalizer of an object being deleted is gone: now it is deleted for real.
                if (!Meta.str(s.object().get("metadata"), "deletionTimestamp").isEmpty() && !hasFinalizers(s.object())) {
                    store.delete(info.namespace(), info.name(), s.modRevision(), dryRun);
                }
                return s;
            }
            if (preconditionRv != null && !preconditionRv.isEmpty()) throw ApiException.modified(def.groupResource(), info.name());
            // Someone else wrote in between: read again and re-apply, as GuaranteedUpdate does.
        }
        throw ApiException.modified(def.groupResource(), info.name());
    }

    private static boolean hasFinalizers(ObjectNode obj) {
        JsonNode f = obj.path("metadata").get("finalizers");
        return f != null && f.isArray() && !f.isEmpty();
    }

    private static void copyField(ObjectNode from, ObjectNode to, String f) {
        JsonNode v = from.get(f);
        if (v == null || v.isNull()) to.remove(f);
        else to.set(f, v);
    }

    private ApiResponse delete(ApiRequest req, RequestInfo info) {
        DeleteOptions opts = DeleteOptions.parse(req);
        boolean dryRun = opts.dryRun() || dryRun(req);
        for (int attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
            ResourceStore.Stored current = store.get(info.namespace(), info.name());
            if (current == null) throw ApiException.notFound(def.groupResource(), info.name());
            String uid = Meta.str(current.object().get("metadata"), "uid");
            if (opts.uid() != null && !opts.uid().equals(uid)) {
                throw ApiException.conflict(def.groupResource(), info.name(),
                        "Precondition failed: UID in precondition: " + opts.uid() + ", UID in object meta: " + uid);
            }
            String rv = Long.toString(current.modRevision());
            if (opts.resourceVersion() != null && !opts.resourceVersion().equals(rv)) {
                throw ApiException.conflict(def.groupResource(), info.name(),
                        "Precondition failed: ResourceVersion in precondition: " + opts.resourceVersion() + ", ResourceVersion in object meta: " + rv);
            }
            if (deleteHook != null) return deleteHook.delete(req, current, dryRun);
            if (hasFinalizers(current.object())) {
                // Graceful deletion: mark the object; the update that removes its last finalizer deletes it.
                ObjectNode marked = current.object().deepCopy();
                ObjectNode m = Meta.meta(marked);
                if (!Meta.str(m, "deletionTimestamp").isEmpty()) return json(req, 200, current.object());
                m.put("deletionTimestamp", Meta.time(clock.instant()));
                m.put("deletionGracePeriodSeconds", 0);
                m.remove("resourceVersion");
                ResourceStore.Stored s = store.update(marked, current.modRevision(), dryRun);
                if (s == null) continue;
                return json(req, 200, s.object());
            }
            long deletedAt = store.delete(info.namespace(), info.name(), current.modRevision(), dryRun);
            if (deletedAt < 0) continue; // changed under us: re-check preconditions on the new state
            if (def.strategy().returnDeletedObject()) return json(req, 200, current.object());
            return json(req, 200, successStatus(info.name(), uid));
        }
        throw ApiException.modified(def.groupResource(), info.name());
    }

    public ObjectNode successStatus(String name, String uid) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        ObjectNode d = s.putObject("details");
        d.put("name", name);
        if (!def.group().isEmpty()) d.put("group", def.group());
        d.put("kind", def.plural());
        d.put("uid", uid);
        return s;
    }

    private ApiResponse deleteCollection(ApiRequest req, RequestInfo info) {
        DeleteOptions opts = DeleteOptions.parse(req);
        boolean dryRun = opts.dryRun() || dryRun(req);
        LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"), def.strategy().selectableFields(Json.object()).keySet(), def.plural());
        ResourceStore.Page page = store.list(info.namespace(), labels, fields, 0, null);
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode o : page.items()) {
            long rv = Long.parseLong(Meta.str(o.get("metadata"), "resourceVersion"));
            if (store.delete(Meta.namespace(o), Meta.name(o), rv, dryRun) >= 0 || dryRun) deleted.add(o);
        }
        return json(req, 200, Rendering.list(def, new ResourceStore.Page(deleted, store.revisioned().currentRevision(), null, null)));
    }

    // ---------------------------------------------------------------- helpers

    private void validate(ObjectNode obj, List<FieldError> errs) {
        if (!errs.isEmpty()) throw ApiException.invalid(def.group(), def.kind(), Meta.name(obj), errs);
    }

    private void checkTypeMeta(ObjectNode obj) {
        String kind = Meta.str(obj, "kind");
        String apiVersion = Meta.str(obj, "apiVersion");
        if (!kind.isEmpty() && !kind.equals(def.kind())) {
            throw ApiException.badRequest(kind + " in version \"" + (apiVersion.isEmpty() ? def.version() : versionOf(apiVersion))
                    + "\" cannot be handled as a " + def.kind() + ": the object provided is unrecognized (must be of type " + def.kind() + ")");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals(def.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + def.apiVersion() + ")");
        }
    }

    private static String versionOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    private void setManagedFields(ObjectNode obj, ObjectNode old, ApiRequest req, String operation) {
        setManagedFields(obj, old, req, operation, obj);
    }

    /** Update operations own what they changed; {@code seen} is the object as the field manager sees it. */
    private void setManagedFields(ObjectNode obj, ObjectNode old, ApiRequest req, String operation, ObjectNode seen) {
        setManagedFieldsValue(obj, ManagedFields.update(old, seen, manager(req), def.apiVersion(), clock.instant()));
    }

    private void applyManagedFields(ObjectNode obj, ObjectNode old, JsonNode config, ApiRequest req, boolean force) {
        applyManagedFields(obj, old, config, req, force, obj);
    }

    /** Server-side apply owns what it configured; conflicts with other managers are 409s unless forced. */
    private void applyManagedFields(ObjectNode obj, ObjectNode old, JsonNode config, ApiRequest req, boolean force, ObjectNode seen) {
        String manager = manager(req);
        ManagedFields.ApplyResult r = ManagedFields.apply(old, seen, config, manager, def.apiVersion(), clock.instant(), force);
        if (r.conflicted() && manager.startsWith("kubectl") && LastApplied.allows(old, r.conflicts())) {
            // kubectl moving an object from client-side to server-side apply takes over what it applied before
            // (upstream's lastAppliedManager).
            r = ManagedFields.apply(old, seen, config, manager, def.apiVersion(), clock.instant(), true);
        }
        if (r.conflicted()) throw r.toApiException();
        setManagedFieldsValue(obj, r.managedFields());
    }

    private static void setManagedFieldsValue(ObjectNode obj, JsonNode mf) {
        ObjectNode meta = Meta.meta(obj);
        if (mf == null || (mf.isArray() && mf.isEmpty())) meta.remove("managedFields");
        else meta.set("managedFields", mf);
    }

    private static String manager(ApiRequest req) {
        String manager = req.param("fieldManager");
        return manager == null || manager.isEmpty() ? userAgentManager(req.userAgent()) : manager;
    }

    /** Upstream uses the User-Agent's program name when no fieldManager is given ("kubectl", "curl"). */
    static String userAgentManager(String ua) {
        String first = ua.split("[/ ]", 2)[0];
        return first.isEmpty() ? "unknown" : (first.length() > 128 ? first.substring(0, 128) : first);
    }

    private static boolean dryRun(ApiRequest req) {
        List<String> values = new ArrayList<>();
        String v = req.param("dryRun");
        if (v == null) return false;
        values.add(v);
        for (String s : values) {
            if (!s.equals("All")) {
                throw ApiException.invalid("meta.k8s.io", "CreateOptions", "", List.of(FieldError.notSupported("dryRun", s, List.of("All"))));
            }
        }
        return true;
    }

    private static String fieldValidation(ApiRequest req) {
        String v = req.param("fieldValidation");
        if (v == null || v.isEmpty()) return "Ignore";
        if (!List.of("Ignore", "Warn", "Strict").contains(v)) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + v + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        return v;
    }

    /** A generated name that is already taken is generated again, as upstream does (up to 8 attempts). */
    private ResourceStore.Stored createWithGeneratedNameRetries(ObjectNode obj, boolean dryRun) {
        String base = Meta.str(obj.get("metadata"), "generateName");
        for (int attempt = 1; ; attempt++) {
            try {
                return store.create(obj, dryRun);
            } catch (ApiException e) {
                if (base.isEmpty() || !"AlreadyExists".equals(e.reason()) || attempt >= 8) throw e;
                Meta.meta(obj).put("name", generateName(base));
            }
        }
    }

    private static String generateName(String base) {
        String b = base.length() > 58 ? base.substring(0, 58) : base;
        StringBuilder sb = new StringBuilder(b);
        for (int i = 0; i < 5; i++) sb.append(GENERATE_NAME_ALPHABET.charAt(RANDOM.nextInt(GENERATE_NAME_ALPHABET.length())));
        return sb.toString();
    }

    public static ApiResponse json(ApiRequest req, int status, JsonNode body) {
        return json(req, status, body, List.of());
    }

    /** @param warnings sent as {@code Warning: 299 - "<text>"} headers, which kubectl prints */
    public static ApiResponse json(ApiRequest req, int status, JsonNode body, List<String> warnings) {
        ApiResponse.Full f = new ApiResponse.Full(status, MediaTypes.JSON, HttpTransport.jsonBody(body, Pretty.wanted(req)));
        if (!warnings.isEmpty()) f.headers().put("Warning", FieldValidation.warningHeader(warnings));
        return f;
    }

    /** Decoded {@code DeleteOptions} (body or query). */
    record DeleteOptions(boolean dryRun, String uid, String resourceVersion) {
        static DeleteOptions parse(ApiRequest req) {
            if (req.body().length == 0) return new DeleteOptions(false, null, null);
            String ct = MediaTypes.base(req.header("Content-Type"));
            ObjectNode o = ct.equals(MediaTypes.PROTOBUF) ? Bodies.decodeProtobuf(req.body(), "DeleteOptions", "v1")
                    : decodeDeleteOptions(req.body());
            boolean dry = false;
            JsonNode d = o.get("dryRun");
            if (d != null && d.isArray()) {
                for (JsonNode x : d) {
                    if (!x.asText().equals("All")) {
                        throw ApiException.invalid("meta.k8s.io", "DeleteOptions", "", List.of(FieldError.notSupported("dryRun", x.asText(), List.of("All"))));
                    }
                    dry = true;
                }
            }
            JsonNode p = o.path("preconditions");
            String uid = p.hasNonNull("uid") ? p.get("uid").asText() : null;
            String rv = p.hasNonNull("resourceVersion") ? p.get("resourceVersion").asText() : null;
            return new DeleteOptions(dry, uid, rv);
        }

        private static ObjectNode decodeDeleteOptions(byte[] body) {
            try {
                return StrictDecoding.decode(body, KindSchemas.of("meta.k8s.io/v1", "DeleteOptions")).object();
            } catch (DecodeException e) {
                throw Bodies.cannotHandle("DeleteOptions", "v1", e.getMessage());
            }
        }
    }
}
