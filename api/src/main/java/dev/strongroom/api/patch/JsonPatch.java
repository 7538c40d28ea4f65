package dev.strongroom.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/json-patch+json} (RFC 6902) with the semantics and messages of {@code evanphx/json-patch} v4,
 * the library kube-apiserver applies these patches with.
 *
 * <p>zjsonpatch is deliberately not used: upstream's library differs from the RFC in ways clients can
 * observe and that a wrapper would have to re-implement anyway - {@code replace} of a missing object member adds it,
 * negative array indices count from the end, {@code copy} from a missing member copies {@code null}, a
 * {@code test} against a missing member passes when the expected value is {@code null} - and every failure message
 * names the operation and path in upstream's words ({@code testing value /data/a failed: test failed}).
 *
 * <p>Failures of an operation are 422 with the precise message; kube-apiserver itself hides that message behind
 * {@code the server rejected our request due to an error in our request} ({@link PatchException#statusMessage()}).
 */
public final class JsonPatch {
    private JsonPatch() {}

    /** kube-apiserver's {@code maxJSONPatchOperations}. */
    static final int MAX_OPERATIONS = 10000;
    /** kube-apiserver's default {@code JSONPatchMaxCopyBytes} ({@code jsonpatch.AccumulatedCopySizeLimit}). */
    static final long MAX_COPY_BYTES = 3L * 1024 * 1024;

    /** Applies {@code patch} (an array of operations) to a copy of {@code doc}. */
    public static JsonNode apply(JsonNode doc, JsonNode patch) throws PatchException {
        List<JsonNode> ops = decode(patch);
        JsonNode[] root = {doc.deepCopy()};
        long[] copied = {0};
        for (JsonNode op : ops) {
            String kind = kind(op);
            try {
                switch (kind) {
                    case "add" -> add(root, op);
                    case "remove" -> remove(root, op);
                    case "replace" -> replace(root, op);
                    case "move" -> move(root, op);
                    case "test" -> test(root, op);
                    case "copy" -> copy(root, op, copied);
                    default -> throw new OpError("Unexpected kind: " + kind);
                }
            } catch (OpError e) {
                throw new PatchException(422, e.getMessage(), true);
            }
        }
        return root[0];
    }

    private static List<JsonNode> decode(JsonNode patch) throws PatchException {
        List<JsonNode> ops = new ArrayList<>();
        if (patch == null || patch.isNull()) return ops; // Go unmarshals null into an empty patch
        if (!patch.isArray()) {
            throw PatchException.badRequest("json: cannot unmarshal " + jsonKind(patch) + " into Go value of type jsonpatch.Patch");
        }
        for (JsonNode op : patch) {
            if (!op.isObject() && !op.isNull()) {
                throw PatchException.badRequest("json: cannot unmarshal " + jsonKind(op) + " into Go value of type jsonpatch.Operation");
            }
            ops.add(op);
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw new PatchException(413, "The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
                    + ", got " + ops.size(), false);
        }
        return ops;
    }

    private static String jsonKind(JsonNode n) {
        if (n.isObject()) return "object";
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "null";
    }

    /** A failed operation; the message is upstream's error chain ({@code context: cause: sentinel}). */
    private static final class OpError extends Exception {
        OpError(String m) { super(m, null, false, false); }
    }

    private static final String MISSING = ": missing value";

    // ---- operation fields ----

    private static String kind(JsonNode op) {
        JsonNode k = op.get("op");
        return k != null && k.isTextual() ? k.textValue() : "unknown";
    }

    /** {@code Operation.Path()}: the error text when absent or not a string. */
    private static String stringField(JsonNode op, String name, String missing) throws OpError {
        JsonNode v = op.get(name);
        if (v == null || v.isNull()) throw new OpError(missing + MISSING);
        if (!v.isTextual()) throw new OpError("json: cannot unmarshal " + jsonKind(v) + " into Go value of type string");
        return v.textValue();
    }

    private static String path(JsonNode op) throws OpError {
        return stringField(op, "path", "operation missing path field");
    }

    private static String from(JsonNode op) throws OpError {
        return stringField(op, "from", "operation, missing from field");
    }

    /** The operation's value; an absent or null value is JSON null, as a nil node is in Go. */
    private static JsonNode value(JsonNode op) {
        JsonNode v = op.get("value");
        return v == null ? NullNode.instance : v.deepCopy();
    }

    // ---- operations ----

    private static void add(JsonNode[] root, JsonNode op) throws OpError {
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("add operation failed to decode path" + MISSING);
        }
        Target t = find(root[0], path);
        if (t == null) throw new OpError("add operation does not apply: doc is missing path: \"" + path + "\"" + MISSING);
        try {
            t.add(value(op));
        } catch (OpError e) {
            throw new OpError("error in add for path: '" + path + "': " + e.getMessage());
        }
    }

    private static void remove(JsonNode[] root, JsonNode op) throws OpError {
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("remove operation failed to decode path" + MISSING);
        }
        Target t = find(root[0], path);
        if (t == null) throw new OpError("remove operation does not apply: doc is missing path: \"" + path + "\"" + MISSING);
        try {
            t.remove();
        } catch (OpError e) {
            throw new OpError("error in remove for path: '" + path + "': " + e.getMessage());
        }
    }

    private static void replace(JsonNode[] root, JsonNode op) throws OpError {
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("replace operation failed to decode path: " + e.getMessage());
        }
        if (path.isEmpty()) {
            JsonNode v = value(op);
            // Upstream wraps a nil error here, so a scalar replacement of the whole document is a silent no-op.
            if (v.isObject() || v.isArray()) root[0] = v;
            return;
        }
        Target t = find(root[0], path);
        if (t == null) throw new OpError("replace operation does not apply: doc is missing path: " + path + MISSING);
        try {
            t.get();
        } catch (OpError e) {
            throw new OpError("replace operation does not apply: doc is missing key: " + path + MISSING);
        }
        t.set(value(op)); // a missing object member is simply set
    }

    private static void move(JsonNode[] root, JsonNode op) throws OpError {
        String from;
        try {
            from = from(op);
        } catch (OpError e) {
            throw new OpError("move operation failed to decode from: " + e.getMessage());
        }
        Target src = find(root[0], from);
        if (src == null) throw new OpError("move operation does not apply: doc is missing from path: " + from + MISSING);
        JsonNode val;
        try {
            val = src.get();
            src.remove();
        } catch (OpError e) {
            throw new OpError("error in move for path: '" + src.key + "': " + e.getMessage());
        }
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("move operation failed to decode path: " + e.getMessage());
        }
        Target dst = find(root[0], path);
        if (dst == null) throw new OpError("move operation does not apply: doc is missing destination path: " + path + MISSING);
        try {
            dst.add(val == null ? NullNode.instance : val);
        } catch (OpError e) {
            throw new OpError("error in move for path: '" + path + "': " + e.getMessage());
        }
    }

    private static void test(JsonNode[] root, JsonNode op) throws OpError {
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("test operation failed to decode path: " + e.getMessage());
        }
        JsonNode expected = op.get("value");
        if (path.isEmpty()) {
            if (expected != null && root[0].equals(expected)) return;
            throw new OpError("testing value " + path + " failed: test failed");
        }
        Target t = find(root[0], path);
        if (t == null) throw new OpError("test operation does not apply: is missing path: " + path + MISSING);
        JsonNode actual;
        try {
            actual = t.get();
        } catch (OpError e) {
            throw new OpError("error in test for path: '" + path + "': " + e.getMessage());
        }
        if (actual == null || actual.isNull()) {
            // A missing member equals an expected null.
            if (expected == null || expected.isNull()) return;
            throw new OpError("testing value " + path + " failed: test failed");
        }
        if (expected == null || !actual.equals(expected)) {
            throw new OpError("testing value " + path + " failed: test failed");
        }
    }

    private static void copy(JsonNode[] root, JsonNode op, long[] copied) throws OpError {
        String from;
        try {
            from = from(op);
        } catch (OpError e) {
            throw new OpError("copy operation failed to decode from: " + e.getMessage());
        }
        Target src = find(root[0], from);
        if (src == null) throw new OpError("copy operation does not apply: doc is missing from path: " + from + MISSING);
        JsonNode val;
        try {
            val = src.get();
        } catch (OpError e) {
            throw new OpError("error in copy for from: '" + from + "': " + e.getMessage());
        }
        String path;
        try {
            path = path(op);
        } catch (OpError e) {
            throw new OpError("copy operation failed to decode path" + MISSING);
        }
        Target dst = find(root[0], path);
        if (dst == null) throw new OpError("copy operation does not apply: doc is missing destination path: " + path + MISSING);
        JsonNode copy = val == null ? NullNode.instance : val.deepCopy();
        copied[0] += Json.bytes(copy).length;
        if (copied[0] > MAX_COPY_BYTES) {
            throw new OpError("Unable to complete the copy, the accumulated size increase of copy is " + copied[0]
                    + ", exceeding the limit " + MAX_COPY_BYTES);
        }
        try {
            dst.add(copy);
        } catch (OpError e) {
            throw new OpError("error while adding value during copy: " + e.getMessage());
        }
    }

    // ---- pointers ----

    /**
     * evanphx's {@code findObject}: the container of the last token and that token, or null when an intermediate
     * step is missing or not a container. Like upstream it splits on {@code /} without requiring a leading one.
     */
    private static Target find(JsonNode root, String path) {
        String[] split = path.split("/", -1);
        if (split.length < 2) return null;
        JsonNode doc = root;
        for (int i = 1; i < split.length - 1; i++) {
            Target step = new Target(doc, unescape(split[i]));
            JsonNode next;
            try {
                next = step.get();
            } catch (OpError e) {
                return null;
            }
            if (next == null || !(next.isObject() || next.isArray())) return null;
            doc = next;
        }
        return new Target(doc, unescape(split[split.length - 1]));
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** One member of an object or element of an array, with upstream's container semantics. */
    private static final class Target {
        final JsonNode container;
        final String key;

        Target(JsonNode container, String key) {
            this.container = container;
            this.key = key;
        }

        /** The value, or null for a missing object member; arrays fail on bad indices. */
        JsonNode get() throws OpError {
            if (container instanceof ObjectNode o) return o.get(key);
            ArrayNode a = (ArrayNode) container;
            int idx = index(a.size());
            return a.get(idx);
        }

        void set(JsonNode v) throws OpError {
            if (container instanceof ObjectNode o) {
                o.set(key, v);
                return;
            }
            ArrayNode a = (ArrayNode) container;
            a.set(index(a.size()), v);
        }

        void add(JsonNode v) throws OpError {
            if (container instanceof ObjectNode o) {
                o.set(key, v);
                return;
            }
            ArrayNode a = (ArrayNode) container;
            if (key.equals("-")) {
                a.add(v);
                return;
            }
            long idx;
            try {
                idx = atoi(key);
            } catch (OpError e) {
                throw new OpError("value was not a proper array index: '" + key + "': " + e.getMessage());
            }
            int size = a.size() + 1;
            if (idx >= size) throw invalidIndex(idx);
            if (idx < 0) {
                if (idx < -size) throw invalidIndex(idx);
                idx += size;
            }
            a.insert((int) idx, v);
        }

        void remove() throws OpError {
            if (container instanceof ObjectNode o) {
                if (!o.has(key)) throw new OpError("Unable to remove nonexistent key: " + key + MISSING);
                o.remove(key);
                return;
            }
            ArrayNode a = (ArrayNode) container;
            long idx = atoi(key);
            if (idx >= a.size()) throw invalidIndex(idx);
            if (idx < 0) {
                if (idx < -a.size()) throw invalidIndex(idx);
                idx += a.size();
            }
            a.remove((int) idx);
        }

        /** Index for get/set: negative counts from the end; must be below {@code size}. */
        private int index(int size) throws OpError {
            long idx = atoi(key);
            if (idx < 0) {
                if (idx < -size) throw invalidIndex(idx);
                idx += size;
            }
            if (idx >= size) throw invalidIndex(idx);
            return (int) idx;
        }

        private static OpError invalidIndex(long idx) {
            return new OpError("Unable to access invalid index: " + idx + ": invalid index referenced");
        }

        /** Go's {@code strconv.Atoi} (64-bit), with its error text. */
        private static long atoi(String s) throws OpError {
            String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new OpError("strconv.Atoi: parsing " + dev.strongroom.api.errors.GoQuote.quote(s) + ": invalid syntax");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new OpError("strconv.Atoi: parsing " + dev.strongroom.api.errors.GoQuote.quote(s) + ": value out of range");
            }
        }
    }
}
