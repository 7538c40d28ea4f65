package dev.strongroom.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.GoJson;
import dev.strongroom.api.codec.GoTime;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.codec.Schema;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metadata.managedFields} as kube-apiserver's field manager maintains it ({@code k8s.io/apiserver}
 * {@code fieldmanager} over {@code sigs.k8s.io/structured-merge-diff}): which manager owns which field.
 *
 * <p>For an <b>Update</b> (create, update, every non-apply patch) the fields the operation added or changed move to
 * the updating manager, removed fields leave every manager, managers left with nothing disappear, and the manager's
 * entry (one per manager, operation and apiVersion) is merged and timestamped, if the operation changed anything.
 * Metadata the server owns ({@code name}, {@code uid}, {@code resourceVersion}...) is never recorded; labels,
 * annotations, finalizers, owner references and {@code generateName} are. Entries are sorted Apply before Update,
 * then by time (seconds), manager and apiVersion; more than ten Update managers are folded into
 * {@code ancient-changes}.
 *
 * <p>For an <b>Apply</b> the manager owns exactly the fields of its configuration; fields another manager owns and
 * this apply changes are conflicts unless forced (then they change hands). Computing the merged object and pruning
 * fields the manager stopped applying remain the caller's job.
 *
 * <p>Pass objects as decoded (before canonicalisation is fine): an explicit empty {@code managedFields} in the
 * new object resets ownership, a non-empty one replaces the live entries (that is how kubectl migrates client-side
 * to server-side apply), and an absent one keeps the live entries.
 */
public final class ManagedFields {
    private ManagedFields() {}

    /** kube-apiserver's {@code DefaultMaxUpdateManagers}. */
    public static final int MAX_UPDATE_MANAGERS = 10;
    static final String ANCIENT_CHANGES = "ancient-changes";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Metadata the server owns, stripped from every manager's set ({@code stripMetaManager}). */
    private static final FieldSet STRIPPED = new FieldSet();
    static {
        for (String f : List.of("apiVersion", "kind", "metadata")) STRIPPED.insert(List.of(new PathElement.Field(f)));
        for (String f : List.of("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                "generation", "managedFields", "resourceVersion")) {
            STRIPPED.insert(List.of(new PathElement.Field("metadata"), new PathElement.Field(f)));
        }
    }

    /** A field owned by another manager that an apply would change. */
    public record Conflict(String manager, String operation, String apiVersion, String subresource, String field) {
        /** {@code printManager}: {@code "kubectl-client-side-apply" using v1}, or just the quoted name for appliers. */
        public String managerDescription() {
            String s = GoQuote.quote(manager);
            if (!subresource.isEmpty()) s += " with subresource " + GoQuote.quote(subresource);
            if (operation.equals("Update")) s += " using " + apiVersion;
            return s;
        }
    }

    /** The outcome of an apply: the new entries, or the conflicts that prevented it. */
    public record ApplyResult(ArrayNode managedFields, List<Conflict> conflicts) {
        public ApplyResult {
            conflicts = List.copyOf(conflicts);
        }

        public boolean conflicted() { return !conflicts.isEmpty(); }

        /** The 409 kube-apiserver returns ({@code NewApplyConflict}), with one FieldManagerConflict cause per field. */
        public ApiException toApiException() {
            ObjectNode details = NODES.objectNode();
            ArrayNode causes = details.putArray("causes");
            for (Conflict c : conflicts) {
                causes.addObject().put("reason", "FieldManagerConflict")
                        .put("message", "conflict with " + c.managerDescription()).put("field", c.field());
            }
            return new ApiException(409, "Conflict", message(), details);
        }

        /** {@code getConflictMessage}. */
        public String message() {
            if (conflicts.size() == 1) {
                Conflict c = conflicts.get(0);
                return "Apply failed with 1 conflict: conflict with " + c.managerDescription() + ": " + c.field();
            }
            Map<String, List<String>> byManager = new TreeMap<>();
            Map<String, String> description = new HashMap<>();
            for (Conflict c : conflicts) {
                String id = identity(c.manager(), c.operation(), c.apiVersion(), c.subresource());
                byManager.computeIfAbsent(id, k -> new ArrayList<>()).add(c.field());
                description.put(id, c.managerDescription());
            }
            List<String> lines = new ArrayList<>();
            byManager.forEach((id, fields) -> {
                lines.add("conflicts with " + description.get(id) + ":");
                for (String f : fields) lines.add("- " + f);
            });
            return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
        }
    }

    /**
     * The managedFields after an Update by {@code manager} at {@code now}; null means the field must be removed.
     *
     * @param liveObject the stored object, or null on create
     * @param newObject  the object about to be stored (after defaulting and conversion, as the field manager sees it)
     * @param apiVersion the request's group version, e.g. {@code v1}, {@code rbac.authorization.k8s.io/v1}
     */
    public static ArrayNode update(JsonNode liveObject, JsonNode newObject, String manager, String apiVersion, Instant now) {
        Kind kind = Kind.of(liveObject, newObject, apiVersion);
        Map<String, Entry> managers = liveOrNew(liveObject, newObject);
        FieldWalk.Comparison cmp = kind.compare(liveObject, newObject);
        FieldSet changed = cmp.modified().union(cmp.added());
        for (Entry e : managers.values()) {
            // The current operation takes over what it changed and nobody keeps what it removed (force = true).
            e.set = e.set.difference(changed.intersection(e.set)).difference(cmp.removed());
        }
        FieldSet op = changed.difference(cmp.removed()).recursiveDifference(kind.ignored);
        stripAndDropEmpty(managers);
        op = op.difference(STRIPPED);
        if (!op.isEmpty()) {
            String key = identity(manager, "Update", apiVersion, "");
            Entry prev = managers.get(key);
            Entry e = prev != null ? prev : new Entry(manager, "Update", apiVersion, "", null, new FieldSet(), null, null);
            e.set = op.union(e.set);
            e.time = GoTime.format(now);
            managers.put(key, e);
        }
        capUpdateManagers(managers);
        return encode(managers);
    }

    /**
     * The managedFields after {@code manager} applied {@code appliedConfig}, producing {@code newObject} from
     * {@code liveObject} (null when the apply creates the object). With conflicts and {@code force == false}, nothing
     * changes and the result lists them.
     */
    public static ApplyResult apply(JsonNode liveObject, JsonNode newObject, JsonNode appliedConfig, String manager,
                                    String apiVersion, Instant now, boolean force) {
        Kind kind = Kind.of(liveObject, newObject, apiVersion);
        Map<String, Entry> managers = decodeOrEmpty(liveObject == null ? null : liveObject.at("/metadata/managedFields"));
        String key = identity(manager, "Apply", "", "");
        Entry prev = managers.get(key);
        FieldSet configured = FieldWalk.toFieldSet(appliedConfig, kind.schema).recursiveDifference(kind.ignored);
        Entry applier = new Entry(manager, "Apply", apiVersion, "", prev == null ? null : prev.time, configured,
                prev == null ? null : prev.original, prev == null ? null : prev.originalSet);
        managers.put(key, applier);

        FieldWalk.Comparison cmp = kind.compare(liveObject, newObject);
        FieldSet changed = cmp.modified().union(cmp.added());
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, FieldSet> lost = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> m : new TreeMap<>(managers).entrySet()) {
            if (m.getKey().equals(key)) continue;
            Entry e = m.getValue();
            FieldSet taken = e.set.intersection(changed);
            if (!taken.isEmpty()) {
                lost.put(m.getKey(), taken);
                taken.forEach(p -> conflicts.add(new Conflict(e.manager, e.operation, e.apiVersion, e.subresource, display(p))));
            }
        }
        if (!force && !conflicts.isEmpty()) return new ApplyResult(null, conflicts);
        for (Map.Entry<String, Entry> m : managers.entrySet()) {
            if (m.getKey().equals(key)) continue;
            FieldSet taken = lost.get(m.getKey());
            Entry e = m.getValue();
            if (taken != null) e.set = e.set.difference(taken);
            e.set = e.set.difference(cmp.removed());
        }
        stripAndDropEmpty(managers);
        if (!kind.canonical(liveObject).equals(kind.canonical(newObject))) {
            Entry e = managers.get(key);
            if (e != null) e.time = GoTime.format(now);
        }
        capUpdateManagers(managers);
        return new ApplyResult(encode(managers), List.of());
    }

    // ---- the kind being managed ----

    /** Schema, reset fields and canonical form of the kind at hand. */
    private record Kind(Schema.Struct schema, FieldSet ignored) {
        static Kind of(JsonNode live, JsonNode updated, String apiVersion) {
            String kind = updated != null && updated.path("kind").isTextual() ? updated.get("kind").textValue()
                    : live != null ? live.path("kind").asText("") : "";
            Schema.Struct schema = KindSchemas.of(apiVersion, kind);
            if (schema == null) throw new IllegalArgumentException("no schema for " + apiVersion + " " + kind);
            FieldSet ignored = new FieldSet();
            for (String f : KindSchemas.resetFields(apiVersion, kind)) ignored.insert(List.of(new PathElement.Field(f)));
            return new Kind(schema, ignored);
        }

        /** The Go-typed view of an object, without its managedFields (the field manager removes them first). */
        ObjectNode canonical(JsonNode obj) {
            ObjectNode c = GoJson.canonical(obj, schema);
            if (c.get("metadata") instanceof ObjectNode m) m.remove("managedFields");
            return c;
        }

        FieldWalk.Comparison compare(JsonNode live, JsonNode updated) {
            FieldWalk.Comparison c = FieldWalk.compare(canonical(live), canonical(updated), schema);
            return new FieldWalk.Comparison(c.added().recursiveDifference(ignored),
                    c.modified().recursiveDifference(ignored), c.removed().recursiveDifference(ignored));
        }
    }

    // ---- entries ----

    /** One decoded managedFields entry. */
    private static final class Entry {
        String manager, operation, apiVersion, subresource;
        String time;
        FieldSet set;
        /** The entry as it came, re-emitted unchanged when its set did not change. */
        final JsonNode original;
        final FieldSet originalSet;

        Entry(String manager, String operation, String apiVersion, String subresource, String time, FieldSet set,
              JsonNode original, FieldSet originalSet) {
            this.manager = manager;
            this.operation = operation;
            this.apiVersion = apiVersion;
            this.subresource = subresource;
            this.time = time;
            this.set = set;
            this.original = original;
            this.originalSet = originalSet;
        }

        long seconds() {
            if (time == null) return 0;
            try {
                return GoTime.parse(time).getEpochSecond();
            } catch (GoTime.ParseException e) {
                return 0;
            }
        }
    }

    /**
     * {@code BuildManagerIdentifier}: the entry without fields and time, and without apiVersion for appliers (an
     * applier is one manager whatever version it applies with).
     */
    static String identity(String manager, String operation, String apiVersion, String subresource) {
        ObjectNode o = NODES.objectNode();
        if (!manager.isEmpty()) o.put("manager", manager);
        if (!operation.isEmpty()) o.put("operation", operation);
        if (!apiVersion.isEmpty() && !operation.equals("Apply")) o.put("apiVersion", apiVersion);
        if (!subresource.isEmpty()) o.put("subresource", subresource);
        return Json.string(o);
    }

    /** {@code decodeLiveOrNew}: an explicit reset, else the new object's entries if any decode, else the live ones. */
    private static Map<String, Entry> liveOrNew(JsonNode live, JsonNode updated) {
        JsonNode requested = updated.at("/metadata/managedFields");
        if (isReset(requested)) return new LinkedHashMap<>();
        try {
            Map<String, Entry> m = decode(requested);
            if (!m.isEmpty()) return m;
        } catch (IOException e) {
            // Undecodable entries from a client are ignored in favour of the live ones.
        }
        return decodeOrEmpty(live == null ? null : live.at("/metadata/managedFields"));
    }

    /** {@code isResetManagedFields}: {@code []} or {@code [{}]}. */
    private static boolean isReset(JsonNode mf) {
        if (mf == null || !mf.isArray()) return false;
        if (mf.isEmpty()) return true;
        if (mf.size() != 1 || !mf.get(0).isObject()) return false;
        for (JsonNode v : mf.get(0)) {
            if (!(v.isNull() || (v.isTextual() && v.textValue().isEmpty()))) return false;
        }
        return true;
    }

    private static Map<String, Entry> decodeOrEmpty(JsonNode mf) {
        try {
            return decode(mf);
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }

    /** {@code decodeManagedFields}, with its validation of operation, apiVersion and fieldsType. */
    private static Map<String, Entry> decode(JsonNode mf) throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        if (mf == null || !mf.isArray()) return m;
        int i = 0;
        for (JsonNode e : mf) {
            String operation = e.path("operation").asText("");
            if (!operation.equals("Apply") && !operation.equals("Update")) throw new IOException("operation must be `Apply` or `Update`");
            String apiVersion = e.path("apiVersion").asText("");
            if (apiVersion.isEmpty()) throw new IOException("apiVersion must not be empty");
            String fieldsType = e.path("fieldsType").asText("");
            if (!fieldsType.equals("FieldsV1")) throw new IOException("invalid fieldsType in managed fields entry " + i);
            String manager = e.path("manager").asText(""), subresource = e.path("subresource").asText("");
            String time = e.path("time").isTextual() ? e.get("time").textValue() : null;
            FieldSet set = FieldSet.fromFieldsV1(e.get("fieldsV1"));
            m.put(identity(manager, operation, apiVersion, subresource),
                    new Entry(manager, operation, apiVersion, subresource, time, set, e, set.copy()));
            i++;
        }
        return m;
    }

    private static void stripAndDropEmpty(Map<String, Entry> managers) {
        managers.values().removeIf(e -> {
            e.set = e.set.difference(STRIPPED);
            return e.set.isEmpty();
        });
    }

    /** {@code capManagersManager}: the oldest Update entries beyond the cap merge into one per apiVersion. */
    private static void capUpdateManagers(Map<String, Entry> managers) {
        List<String> updaters = new ArrayList<>();
        managers.forEach((k, e) -> { if (e.operation.equals("Update")) updaters.add(k); });
        if (updaters.size() <= MAX_UPDATE_MANAGERS) return;
        updaters.sort(Comparator.<String>comparingLong(k -> managers.get(k).seconds()).thenComparing(k -> k));
        Map<String, String> firstByVersion = new HashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
            String id = updaters.get(i);
            Entry e = managers.get(id);
            String bucket = identity(ANCIENT_CHANGES, "Update", e.apiVersion, "");
            String first = firstByVersion.get(e.apiVersion);
            if (first == null) {
                firstByVersion.put(e.apiVersion, id);
                continue;
            }
            if (!managers.containsKey(bucket)) {
                Entry f = managers.remove(first);
                managers.put(bucket, new Entry(ANCIENT_CHANGES, "Update", f.apiVersion, "", f.time, f.set, null, null));
            }
            Entry b = managers.get(bucket);
            b.set = e.set.union(b.set);
            b.time = e.time; // the merged update is the more recent one
            managers.remove(id);
            length--;
        }
    }

    /** {@code encodeManagedFields} + {@code sortEncodedManagedFields}; null when no manager is left. */
    private static ArrayNode encode(Map<String, Entry> managers) {
        if (managers.isEmpty()) return null;
        List<Entry> entries = new ArrayList<>(managers.values());
        entries.sort(Comparator.<Entry, String>comparing(e -> e.operation)
                .thenComparingLong(Entry::seconds)
                .thenComparing(e -> e.manager)
                .thenComparing(e -> e.apiVersion)
                .thenComparing(e -> e.subresource));
        ArrayNode out = NODES.arrayNode();
        for (Entry e : entries) {
            if (e.original != null && e.set.equals(e.originalSet)
                    && e.original.path("apiVersion").asText("").equals(e.apiVersion)) {
                ObjectNode o = e.original.deepCopy();
                if (e.time != null) o.put("time", e.time);
                out.add(o);
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("manager", e.manager);
            o.put("operation", e.operation);
            o.put("apiVersion", e.apiVersion);
            if (e.time != null) o.put("time", e.time);
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", e.set.toFieldsV1());
            if (!e.subresource.isEmpty()) o.put("subresource", e.subresource);
        }
        return out;
    }

    private static String display(List<PathElement> path) {
        StringBuilder sb = new StringBuilder();
        for (PathElement pe : path) sb.append(pe.display());
        return sb.toString();
    }
}
