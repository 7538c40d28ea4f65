package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;

import java.util.ArrayList;
import java.util.List;

/** An RBAC {@code PolicyRule}. Empty strings inside lists are data ({@code apiGroups: [""]} is the core group). */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                         List<String> nonResourceURLs) {

    public static final String ALL = "*";

    public static PolicyRule resource(List<String> verbs, List<String> groups, List<String> resources) {
        return new PolicyRule(verbs, groups, resources, List.of(), List.of());
    }

    public static PolicyRule nonResource(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    public static PolicyRule fromJson(JsonNode r) {
        return new PolicyRule(strings(r.get("verbs")), strings(r.get("apiGroups")), strings(r.get("resources")),
                strings(r.get("resourceNames")), strings(r.get("nonResourceURLs")));
    }

    public static List<PolicyRule> listFromJson(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        if (rules != null && rules.isArray()) for (JsonNode r : rules) out.add(fromJson(r));
        return out;
    }

    private static List<String> strings(JsonNode a) {
        if (a == null || !a.isArray()) return List.of();
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode n : a) out.add(n.asText());
        return List.copyOf(out);
    }

    /** JSON in Go field order, omitting empty lists. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        put(o, "verbs", verbs, true);
        put(o, "apiGroups", apiGroups, false);
        put(o, "resources", resources, false);
        put(o, "resourceNames", resourceNames, false);
        put(o, "nonResourceURLs", nonResourceURLs, false);
        return o;
    }

    private static void put(ObjectNode o, String f, List<String> v, boolean always) {
        if (v.isEmpty() && !always) return;
        ArrayNode a = o.putArray(f);
        v.forEach(a::add);
    }

    /** rbacv1helpers.CompactString: {@code {APIGroups:[""], Resources:["pods"], Verbs:["delete"]}}. */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) parts.add("APIGroups:" + goList(apiGroups));
        if (!resources.isEmpty()) parts.add("Resources:" + goList(resources));
        if (!nonResourceURLs.isEmpty()) parts.add("NonResourceURLs:" + goList(nonResourceURLs));
        if (!resourceNames.isEmpty()) parts.add("ResourceNames:" + goList(resourceNames));
        if (!verbs.isEmpty()) parts.add("Verbs:" + goList(verbs));
        return "{" + String.join(", ", parts) + "}";
    }

    /** Go's {@code %q} of a []string: {@code ["a" "b"]}. */
    public static String goList(List<String> l) {
        List<String> q = new ArrayList<>();
        for (String s : l) q.add(GoQuote.quote(s));
        return "[" + String.join(" ", q) + "]";
    }
}
