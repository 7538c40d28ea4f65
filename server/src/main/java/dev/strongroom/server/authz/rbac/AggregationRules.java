package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What an aggregated ClusterRole's rules should be: the union of the matching roles' rules, sorted by role name. */
public final class AggregationRules {
    private AggregationRules() {}

    public static List<PolicyRule> union(RbacPolicy policy, String target) {
        RbacPolicy.ClusterRole t = policy.clusterRoles().get(target);
        if (t == null || t.aggregationRule() == null || t.aggregationRule().isNull()) return List.of();
        Set<PolicyRule> union = new LinkedHashSet<>();
        for (RbacPolicy.ClusterRole source : new TreeMap<>(policy.clusterRoles()).values()) {
            if (source.name().equals(target)) continue;
            if (matchesAny(t.aggregationRule().path("clusterRoleSelectors"), source.labels())) union.addAll(source.rules());
        }
        return new ArrayList<>(union);
    }

    /** metav1.LabelSelector semantics: matchLabels AND matchExpressions; a selector list matches if any does. */
    static boolean matchesAny(JsonNode selectors, Map<String, String> labels) {
        for (JsonNode sel : selectors) if (matches(sel, labels)) return true;
        return false;
    }

    static boolean matches(JsonNode sel, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> sel.path("matchLabels").fields()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) return false;
        }
        for (JsonNode ex : sel.path("matchExpressions")) {
            String key = ex.path("key").asText();
            Set<String> values = new LinkedHashSet<>();
            ex.path("values").forEach(v -> values.add(v.asText()));
            String v = labels.get(key);
            boolean ok = switch (ex.path("operator").asText()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) return false;
        }
        return true; // an empty selector selects everything, as metav1.LabelSelectorAsSelector
    }
}
