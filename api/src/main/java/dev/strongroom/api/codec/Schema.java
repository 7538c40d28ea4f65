package dev.strongroom.api.codec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one Go API type, reduced to what the JSON codecs, the patches and managed fields need: JSON names
 * in Go struct order, {@code omitempty}, pointer-ness, the Go type name (it appears in upstream error messages),
 * patch strategies and the structured-merge-diff list/struct types. {@link KindSchemas} holds the instances.
 */
public sealed interface Schema {

    /** The Go type as {@code reflect.Type.String()} prints it, e.g. {@code v1.SecretType}, {@code []uint8}. */
    String goType();

    enum ScalarKind { STRING, BOOL, INT32, INT64, BYTES, TIME }

    /** A leaf. {@code BYTES} is a base64 string in JSON; {@code TIME} is {@code metav1.Time} (RFC 3339 seconds). */
    record Scalar(ScalarKind kind, String goType) implements Schema {}

    /**
     * A Go struct. {@code atomic} is {@code +structType=atomic}: managed fields own it as one leaf.
     * {@link #name()} is the bare type name upstream prints in {@code Go struct field Secret.data}.
     */
    final class Struct implements Schema {
        private final String goType;
        private final List<Field> fields;
        private final boolean atomic;
        private final Map<String, Field> byName = new LinkedHashMap<>();

        public Struct(String goType, List<Field> fields, boolean atomic) {
            this.goType = goType;
            this.fields = List.copyOf(fields);
            this.atomic = atomic;
            for (Field f : this.fields) byName.put(f.name(), f);
        }

        @Override public String goType() { return goType; }
        public List<Field> fields() { return fields; }
        public boolean atomic() { return atomic; }

        public String name() {
            int dot = goType.lastIndexOf('.');
            return dot < 0 ? goType : goType.substring(dot + 1);
        }

        /** The field with this JSON name, or null. */
        public Field field(String jsonName) {
            return byName.get(jsonName);
        }

        @Override public String toString() { return goType; }
    }

    /** How structured-merge-diff identifies list items ({@code +listType}). */
    enum ListType { ATOMIC, SET, MAP }

    /** A Go slice. {@code keys} are the {@code +listMapKey}s when {@code listType == MAP}. */
    record ListOf(Schema element, String goType, ListType listType, List<String> keys) implements Schema {
        public ListOf {
            keys = List.copyOf(keys);
        }
    }

    /** A Go {@code map[string]T}; always granular (each key owned separately) for the kinds served. */
    record MapOf(Schema value, String goType) implements Schema {}

    /** Any JSON, kept verbatim ({@code metav1.FieldsV1}). */
    record FreeForm(String goType) implements Schema {}

    /**
     * One struct field. {@code omitEmpty} and {@code pointer} decide Go's JSON encoding; {@code patchStrategy}
     * ({@code "merge"} or null) and {@code patchMergeKey} are the strategic-merge-patch struct tags.
     */
    record Field(String name, Schema schema, boolean omitEmpty, boolean pointer,
                 String patchStrategy, String patchMergeKey) {

        public boolean mergeStrategy() {
            return "merge".equals(patchStrategy);
        }
    }
}
