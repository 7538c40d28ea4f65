package dev.strongroom.server.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.codec.GoFormat;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.MetaValidation;

import java.util.ArrayList;
import java.util.List;

/** {@code pkg/apis/rbac/validation/validation.go}, message for message. */
final class RbacValidation {
    static final String GROUP = "rbac.authorization.k8s.io";

    private RbacValidation() {}

    static List<FieldError> rules(JsonNode rules, boolean namespaced) {
        List<FieldError> errs = new ArrayList<>();
        if (rules == null || !rules.isArray()) return errs;
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            String p = "rules[" + i + "]";
            if (size(r, "verbs") == 0) errs.add(FieldError.required(p + ".verbs", "verbs must contain at least one value"));
            if (size(r, "nonResourceURLs") > 0) {
                if (namespaced) errs.add(FieldError.invalid(p + ".nonResourceURLs", GoFormat.stringSlice(r.get("nonResourceURLs")), "namespaced rules cannot apply to non-resource URLs"));
                if (size(r, "apiGroups") > 0 || size(r, "resources") > 0 || size(r, "resourceNames") > 0) {
                    errs.add(FieldError.invalid(p + ".nonResourceURLs", GoFormat.stringSlice(r.get("nonResourceURLs")), "rules cannot apply to both regular resources and non-resource URLs"));
                }
                continue;
            }
            if (size(r, "apiGroups") == 0) errs.add(FieldError.required(p + ".apiGroups", "resource rules must supply at least one api group"));
            if (size(r, "resources") == 0) errs.add(FieldError.required(p + ".resources", "resource rules must supply at least one resource"));
        }
        return errs;
    }

    static List<FieldError> binding(ObjectNode b, boolean namespaced) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode ref = b.path("roleRef");
        String apiGroup = ref.path("apiGroup").asText("");
        if (!apiGroup.equals(GROUP)) errs.add(FieldError.notSupported("roleRef.apiGroup", apiGroup, List.of(GROUP)));
        String kind = ref.path("kind").asText("");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) errs.add(FieldError.notSupported("roleRef.kind", kind, kinds));
        String name = ref.path("name").asText("");
        if (name.isEmpty()) errs.add(FieldError.required("roleRef.name", ""));
        else for (String m : MetaValidation.pathSegmentName(name)) errs.add(FieldError.invalid("roleRef.name", name, m));
        JsonNode subjects = b.get("subjects");
        if (subjects != null && subjects.isArray()) {
            for (int i = 0; i < subjects.size(); i++) errs.addAll(subject(subjects.get(i), namespaced, "subjects[" + i + "]"));
        }
        return errs;
    }

    private static List<FieldError> subject(JsonNode s, boolean namespaced, String p) {
        List<FieldError> errs = new ArrayList<>();
        String name = s.path("name").asText("");
        String apiGroup = s.path("apiGroup").asText("");
        if (name.isEmpty()) errs.add(FieldError.required(p + ".name", ""));
        switch (s.path("kind").asText("")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) for (String m : MetaValidation.dns1123Subdomain(name)) errs.add(FieldError.invalid(p + ".name", name, m));
                if (!apiGroup.isEmpty()) errs.add(FieldError.notSupported(p + ".apiGroup", apiGroup, List.of("")));
                if (!namespaced && s.path("namespace").asText("").isEmpty()) errs.add(FieldError.required(p + ".namespace", ""));
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(GROUP)) errs.add(FieldError.notSupported(p + ".apiGroup", apiGroup, List.of(GROUP)));
            }
            default -> errs.add(FieldError.notSupported(p + ".kind", s.path("kind").asText(""), List.of("ServiceAccount", "User", "Group")));
        }
        return errs;
    }

    /** roleRef is immutable; upstream prints the new RoleRef struct with %#v. */
    static List<FieldError> roleRefUnchanged(ObjectNode b, ObjectNode old) {
        if (b.path("roleRef").equals(old.path("roleRef"))) return List.of();
        JsonNode r = b.path("roleRef");
        GoFormat.Raw v = new GoFormat.Raw("rbac.RoleRef{APIGroup:" + GoQuote.quote(r.path("apiGroup").asText(""))
                + ", Kind:" + GoQuote.quote(r.path("kind").asText("")) + ", Name:" + GoQuote.quote(r.path("name").asText("")) + "}");
        return List.of(FieldError.invalid("roleRef", v, "cannot change roleRef"));
    }

    /** v1 defaulting: roleRef.apiGroup and each subject's apiGroup. */
    static void defaultBinding(ObjectNode b) {
        JsonNode ref = b.get("roleRef");
        if (ref instanceof ObjectNode r && r.path("apiGroup").asText("").isEmpty()) r.put("apiGroup", GROUP);
        JsonNode subjects = b.get("subjects");
        if (subjects != null && subjects.isArray()) {
            for (JsonNode s : subjects) {
                if (s instanceof ObjectNode o && o.path("apiGroup").asText("").isEmpty()) {
                    String kind = o.path("kind").asText("");
                    if (kind.equals("User") || kind.equals("Group")) o.put("apiGroup", GROUP);
                    else if (kind.equals("ServiceAccount")) o.put("apiGroup", "");
                }
            }
        }
    }

    private static int size(JsonNode r, String f) {
        JsonNode a = r.get(f);
        return a == null || !a.isArray() ? 0 : a.size();
    }

    static String name(ObjectNode o) { return Meta.name(o); }
}
