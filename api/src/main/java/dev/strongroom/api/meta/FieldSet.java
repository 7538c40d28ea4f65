package dev.strongroom.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths, as {@code fieldpath.Set}: the paths that end here ({@code members}) and, per path element,
 * the set below it ({@code children}). Both are kept sorted so that {@link #toFieldsV1()} writes upstream's
 * byte-identical {@code fieldsV1}. The set operations follow upstream precisely, including that a plain
 * {@link #difference} removes a path but not what lies below it, while {@link #recursiveDifference} removes both.
 */
final class FieldSet {
    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    boolean isEmpty() {
        if (!members.isEmpty()) return false;
        for (FieldSet c : children.values()) if (!c.isEmpty()) return false;
        return true;
    }

    void insert(List<PathElement> path) {
        FieldSet s = this;
        for (int i = 0; i < path.size() - 1; i++) s = s.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        s.members.add(path.get(path.size() - 1));
    }

    boolean has(List<PathElement> path) {
        FieldSet s = this;
        for (int i = 0; i < path.size() - 1; i++) {
            s = s.children.get(path.get(i));
            if (s == null) return false;
        }
        return s.members.contains(path.get(path.size() - 1));
    }

    FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((pe, c) -> out.children.put(pe, c.copy()));
        return out;
    }

    FieldSet union(FieldSet o) {
        FieldSet out = copy();
        out.members.addAll(o.members);
        o.children.forEach((pe, c) -> out.children.merge(pe, c.copy(), FieldSet::union));
        return out;
    }

    FieldSet intersection(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) if (o.members.contains(pe)) out.members.add(pe);
        children.forEach((pe, c) -> {
            FieldSet oc = o.children.get(pe);
            if (oc != null) {
                FieldSet i = c.intersection(oc);
                if (!i.isEmpty()) out.children.put(pe, i);
            }
        });
        return out;
    }

    /** Paths of this set not in {@code o}; a member of {@code o} does not remove the children below it. */
    FieldSet difference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) if (!o.members.contains(pe)) out.members.add(pe);
        children.forEach((pe, c) -> {
            FieldSet oc = o.children.get(pe);
            FieldSet d = oc == null ? c.copy() : c.difference(oc);
            if (!d.isEmpty()) out.children.put(pe, d);
        });
        return out;
    }

    /** Like {@link #difference}, but a member of {@code o} also removes everything below it. */
    FieldSet recursiveDifference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) if (!o.members.contains(pe)) out.members.add(pe);
        children.forEach((pe, c) -> {
            if (o.members.contains(pe)) return;
            FieldSet oc = o.children.get(pe);
            FieldSet d = oc == null ? c.copy() : c.recursiveDifference(oc);
            if (!d.isEmpty()) out.children.put(pe, d);
        });
        return out;
    }

    /** Every path, members before children at each level (upstream's iteration order). */
    void forEach(Consumer<List<PathElement>> f) {
        forEach(new ArrayList<>(), f);
    }

    private void forEach(List<PathElement> prefix, Consumer<List<PathElement>> f) {
        for (PathElement pe : members) {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(pe);
            f.accept(p);
        }
        children.forEach((pe, c) -> {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(pe);
            c.forEach(p, f);
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && s.members.equals(members) && normalized().equals(s.normalized());
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    private Map<PathElement, FieldSet> normalized() {
        TreeMap<PathElement, FieldSet> m = new TreeMap<>();
        children.forEach((pe, c) -> { if (!c.isEmpty()) m.put(pe, c); });
        return m;
    }

    // ---- fieldsV1 ----

    /** The {@code fieldsV1} object; {@code ".": {}} marks a path that is both owned itself and has owned children. */
    ObjectNode toFieldsV1() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        emit(o, false);
        return o;
    }

    private void emit(ObjectNode o, boolean includeSelf) {
        if (includeSelf && !(members.isEmpty() && children.isEmpty())) o.putObject(".");
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(normalized().keySet());
        for (PathElement pe : all) {
            ObjectNode child = o.putObject(pe.serialize());
            FieldSet c = children.get(pe);
            if (c != null && !c.isEmpty()) c.emit(child, members.contains(pe));
        }
    }

    /** Parses {@code fieldsV1}; unknown key prefixes are skipped as upstream does. */
    static FieldSet fromFieldsV1(JsonNode fields) throws IOException {
        FieldSet s = new FieldSet();
        if (fields == null || fields.isNull()) return s;
        if (!fields.isObject()) throw new IOException("fieldsV1 must be an object");
        s.read(fields);
        return s;
    }

    /** Reads the members and children of one object; returns whether it marked its own path ({@code "."} or empty). */
    private boolean read(JsonNode o) throws IOException {
        boolean self = false, any = false;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getKey().equals(".")) {
                self = true;
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            if (pe == null) continue;
            if (!e.getValue().isObject()) throw new IOException("fieldsV1 values must be objects");
            FieldSet child = new FieldSet();
            boolean childIsMember = child.read(e.getValue());
            if (childIsMember) members.add(pe);
            if (!child.isEmpty()) children.merge(pe, child, FieldSet::union);
            any = true;
        }
        return self || !any;
    }
}
