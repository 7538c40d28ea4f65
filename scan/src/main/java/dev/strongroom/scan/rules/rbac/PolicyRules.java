package dev.strongroom.scan.rules.rbac;

import com.fasterxml.jackson.databind.JsonNode;

/** RBAC PolicyRule matching, as plugin/pkg/auth/authorizer/rbac does it. */
final class PolicyRules {
    private PolicyRules() {}

    static boolean has(JsonNode list, String value) {
        for (JsonNode v : list) if (v.asText().equals(value)) return true;
        return false;
    }

    static boolean allowsVerb(JsonNode rule, String verb) {
        return has(rule.path("verbs"), verb) || has(rule.path("verbs"), "*");
    }

    static boolean allowsGroup(JsonNode rule, String group) {
        return has(rule.path("apiGroups"), group) || has(rule.path("apiGroups"), "*");
    }

    /** "*" matches everything including subresources; "*\/sub" any resource's sub; else exact. */
    static boolean allowsResource(JsonNode rule, String resource) {
        for (JsonNode r : rule.path("resources")) {
            String s = r.asText();
            if (s.equals("*") || s.equals(resource)) return true;
            int slash = resource.indexOf('/');
            if (slash > 0 && s.equals("*" + resource.substring(slash))) return true;
        }
        return false;
    }

    static boolean allows(JsonNode rule, String verb, String group, String resource) {
        return allowsVerb(rule, verb) && allowsGroup(rule, group) && allowsResource(rule, resource);
    }
}
