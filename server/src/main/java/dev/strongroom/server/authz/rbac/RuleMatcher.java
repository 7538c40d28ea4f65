package dev.strongroom.server.authz.rbac;

import dev.strongroom.server.authz.Attributes;

import java.util.List;

/** {@code pkg/registry/rbac/validation/rule.go} RuleAllows and its helpers: what one rule grants. */
public final class RuleMatcher {
    private RuleMatcher() {}

    public static boolean allows(Attributes a, PolicyRule r) {
        if (a.resourceRequest()) {
            String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
            return verbMatches(r, a.verb()) && groupMatches(r, a.apiGroup())
                    && resourceMatches(r, combined, a.subresource()) && nameMatches(r, a.name());
        }
        return verbMatches(r, a.verb()) && nonResourceURLMatches(r, a.path());
    }

    static boolean verbMatches(PolicyRule r, String verb) {
        return containsOrAll(r.verbs(), verb);
    }

    static boolean groupMatches(PolicyRule r, String group) {
        return containsOrAll(r.apiGroups(), group);
    }

    static boolean resourceMatches(PolicyRule r, String combined, String subresource) {
        for (String rr : r.resources()) {
            if (rr.equals(PolicyRule.ALL) || rr.equals(combined)) return true;
            // "*/scale" matches the scale subresource of any resource; there is no "pods/*".
            if (!subresource.isEmpty() && rr.length() == subresource.length() + 2 && rr.startsWith("*/") && rr.endsWith(subresource)) return true;
        }
        return false;
    }

    static boolean nameMatches(PolicyRule r, String name) {
        return r.resourceNames().isEmpty() || r.resourceNames().contains(name);
    }

    static boolean nonResourceURLMatches(PolicyRule r, String url) {
        for (String u : r.nonResourceURLs()) {
            if (u.equals(PolicyRule.ALL) || u.equals(url)) return true;
            if (u.endsWith("*") && url.startsWith(u.substring(0, u.length() - 1))) return true;
        }
        return false;
    }

    private static boolean containsOrAll(List<String> l, String v) {
        return l.contains(PolicyRule.ALL) || l.contains(v);
    }
}
