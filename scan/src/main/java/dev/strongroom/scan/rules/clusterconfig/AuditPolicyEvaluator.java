package dev.strongroom.scan.rules.clusterconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Evaluates an audit Policy for one request exactly as kube-apiserver does
 * (apiserver/pkg/audit/policy/checker.go): rules in order, first match wins, no match means level
 * None. Rule fields are ANDed and an empty list matches everything.
 */
final class AuditPolicyEvaluator {

    /** A resource request as the audit checker sees it. */
    record Request(String user, Set<String> groups, String verb, String namespace, String group, String resource,
                   String subresource, String name) {}

    /** The level applied and the index of the rule that decided it (-1 when no rule matched). */
    record Decision(String level, int ruleIndex) {}

    static final List<String> LEVELS = List.of("None", "Metadata", "Request", "RequestResponse");

    private final JsonNode rules;

    AuditPolicyEvaluator(JsonNode policy) {
        this.rules = policy.path("rules");
    }

    Decision evaluate(Request r) {
        for (int i = 0; i < rules.size(); i++) {
            if (matches(rules.get(i), r)) return new Decision(rules.get(i).path("level").asText("None"), i);
        }
        return new Decision("None", -1);
    }

    private static boolean matches(JsonNode rule, Request r) {
        if (rule.path("users").size() > 0 && !contains(rule.path("users"), r.user())) return false;
        if (rule.path("userGroups").size() > 0 && r.groups().stream().noneMatch(g -> contains(rule.path("userGroups"), g))) return false;
        if (rule.path("verbs").size() > 0 && !contains(rule.path("verbs"), r.verb())) return false;
        if (rule.path("namespaces").size() > 0 || rule.path("resources").size() > 0) return matchesResource(rule, r);
        // A rule limited to non-resource URLs never matches a resource request.
        return rule.path("nonResourceURLs").size() == 0;
    }

    private static boolean matchesResource(JsonNode rule, Request r) {
        if (rule.path("namespaces").size() > 0 && !contains(rule.path("namespaces"), r.namespace())) return false;
        if (rule.path("resources").size() == 0) return true;
        String combined = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
        for (JsonNode gr : rule.path("resources")) {
            String group = gr.path("group").asText("");
            if (!group.equals(r.group()) && !group.equals("*")) continue;
            if (gr.path("resources").size() == 0) return true;
            for (JsonNode res : gr.path("resources")) {
                String s = res.asText();
                if (gr.path("resourceNames").size() > 0 && !contains(gr.path("resourceNames"), r.name())) continue;
                if (s.equals(combined) || s.equals("*")) return true;
                if (!r.subresource().isEmpty() && s.startsWith("*/") && s.substring(2).equals(r.subresource())) return true;
                if (s.endsWith("/*") && s.substring(0, s.length() - 2).equals(r.resource())) return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode v : list) if (v.asText().equals(value)) return true;
        return false;
    }

    static boolean aboveMetadata(String level) {
        return LEVELS.indexOf(level) > 1;
    }
}
