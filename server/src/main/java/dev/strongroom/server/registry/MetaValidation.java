package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.GoFormat;
import dev.strongroom.api.errors.FieldError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * ObjectMeta validation with apimachinery's exact messages ({@code apimachinery/pkg/api/validation/objectmeta.go},
 * {@code util/validation/validation.go}).
 */
public final class MetaValidation {
    private MetaValidation() {}

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    public static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    public static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String QUALIFIED_NAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /** A name validator returns upstream's messages for an invalid name (empty list when valid). */
    public static List<String> dns1123Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) errs.add("must be no more than 63 characters");
        if (!DNS1123_LABEL.matcher(v).matches()) errs.add(DNS1123_LABEL_MSG);
        return errs;
    }

    public static List<String> dns1123Subdomain(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) errs.add("must be no more than 253 characters");
        if (!DNS1123_SUBDOMAIN.matcher(v).matches()) errs.add(DNS1123_SUBDOMAIN_MSG);
        return errs;
    }

    /** RBAC object names: anything that is a valid path segment. */
    public static List<String> pathSegmentName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.equals(".") || v.equals("..")) errs.add("may not be '" + v + "'");
        if (v.contains("/")) errs.add("may not contain '/'");
        if (v.contains("%")) errs.add("may not contain '%'");
        return errs;
    }

    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) errs.add("prefix part must be non-empty");
            else for (String m : dns1123Subdomain(prefix)) errs.add("prefix part " + m);
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) errs.add("name part must be non-empty");
        else if (name.length() > 63) errs.add("name part must be no more than 63 characters");
        if (!name.isEmpty() && !QUALIFIED_NAME_PART.matcher(name).matches()) errs.add(QUALIFIED_NAME_MSG);
        return errs;
    }

    /**
     * {@code ValidateObjectMeta} for create (and the shared part of update).
     *
     * @param nameFn the resource's name validator
     */
    public static List<FieldError> validate(ObjectNode obj, boolean namespaced, Function<String, List<String>> nameFn) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = obj.path("metadata");
        String name = Meta.str(meta, "name");
        String generateName = Meta.str(meta, "generateName");
        if (!generateName.isEmpty()) {
            // A prefix may end with '-': upstream validates it with the dash masked (maskTrailingDash).
            String masked = generateName.endsWith("-") ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            for (String m : nameFn.apply(masked)) errs.add(FieldError.invalid("metadata.generateName", generateName, m));
        }
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String m : nameFn.apply(name)) errs.add(FieldError.invalid("metadata.name", name, m));
        }
        String ns = Meta.str(meta, "namespace");
        if (namespaced) {
            if (ns.isEmpty()) errs.add(FieldError.required("metadata.namespace", ""));
            else for (String m : dns1123Label(ns)) errs.add(FieldError.invalid("metadata.namespace", ns, m));
        } else if (!ns.isEmpty()) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        errs.addAll(validateLabels(meta.get("labels"), "metadata.labels"));
        errs.addAll(validateAnnotations(meta.get("annotations")));
        JsonNode fins = meta.get("finalizers");
        if (fins != null && fins.isArray()) {
            for (int i = 0; i < fins.size(); i++) {
                String f = fins.get(i).asText();
                String path = "metadata.finalizers[" + i + "]";
                for (String m : qualifiedName(f)) errs.add(FieldError.invalid(path, f, m));
                if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
                    errs.add(FieldError.invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
                }
            }
        }
        return errs;
    }

    public static List<FieldError> validateLabels(JsonNode labels, String path) {
        List<FieldError> errs = new ArrayList<>();
        for (Map.Entry<String, String> e : Meta.stringMap(labels).entrySet()) {
            for (String m : qualifiedName(e.getKey())) errs.add(FieldError.invalid(path, e.getKey(), m));
            String v = e.getValue();
            if (v.length() > 63) errs.add(FieldError.invalid(path, v, "must be no more than 63 characters"));
            if (!LABEL_VALUE.matcher(v).matches()) errs.add(FieldError.invalid(path, v, LABEL_VALUE_MSG));
        }
        return errs;
    }

    static List<FieldError> validateAnnotations(JsonNode annotations) {
        List<FieldError> errs = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> e : Meta.stringMap(annotations).entrySet()) {
            for (String m : qualifiedName(e.getKey().toLowerCase())) errs.add(FieldError.invalid("metadata.annotations", e.getKey(), m));
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", FieldError.OMIT,
                    "must have at most " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes"));
        }
        return errs;
    }

    /** {@code ValidateObjectMetaUpdate}: identity fields are immutable. */
    public static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode m = obj.path("metadata"), o = old.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "creationTimestamp")) {
            String nv = Meta.str(m, f), ov = Meta.str(o, f);
            if (!Objects.equals(nv, ov)) errs.add(FieldError.invalid("metadata." + f, nv, "field is immutable"));
        }
        errs.addAll(validateLabels(m.get("labels"), "metadata.labels"));
        errs.addAll(validateAnnotations(m.get("annotations")));
        if (!Meta.str(o, "deletionTimestamp").isEmpty()) {
            java.util.Set<String> oldF = new java.util.LinkedHashSet<>();
            o.path("finalizers").forEach(f -> oldF.add(f.asText()));
            List<String> added = new ArrayList<>();
            m.path("finalizers").forEach(f -> { if (!oldF.contains(f.asText())) added.add(f.asText()); });
            if (!added.isEmpty()) {
                errs.add(FieldError.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers "
                        + GoFormat.stringSlice(dev.strongroom.api.json.Json.MAPPER.valueToTree(added))));
            }
        }
        return errs;
    }
}
