package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.registry.Meta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable view of all RBAC objects: what the authorizer, the access reviews, escalation checks and "who can"
 * evaluate. Bindings are kept sorted by name, so evaluation order (and hence the reason reported) is stable.
 */
public final class RbacPolicy {
    public record Subject(String kind, String name, String namespace) {
        /** {@code User "alice"}, {@code Group "devs"}, {@code ServiceAccount "sa/ns"}, as upstream describes them. */
        public String describe() {
            return switch (kind) {
                case "ServiceAccount" -> "ServiceAccount \"" + name + "/" + namespace + "\"";
                default -> kind + " \"" + name + "\"";
            };
        }
    }

    public record Binding(String name, String namespace, String roleKind, String roleName, List<Subject> subjects) {
        boolean cluster() { return namespace.isEmpty(); }
    }

    public record ClusterRole(String name, List<PolicyRule> rules, Map<String, String> labels, JsonNode aggregationRule) {}

    static final RbacPolicy EMPTY = new RbacPolicy(Map.of(), Map.of(), List.of(), Map.of());

    private final Map<String, List<PolicyRule>> roles;          // "ns/name" → rules
    private final Map<String, ClusterRole> clusterRoles;         // name → role
    private final List<Binding> clusterRoleBindings;             // sorted by name
    private final Map<String, List<Binding>> roleBindings;       // ns → bindings sorted by name

    /**
     * The bindings of one scope (cluster, or one namespace) indexed for evaluation: which bindings name a user or a
     * group, each binding's rules resolved and each (binding, subject) reason precomputed. Built once per policy
     * change, so a request does a few map lookups instead of walking every subject of every binding.
     */
    private static final class Scope {
        final List<Binding> bindings;
        final List<List<PolicyRule>> rules = new ArrayList<>();
        final Map<String, List<Integer>> byUser = new HashMap<>();
        final Map<String, List<Integer>> byGroup = new HashMap<>();
        final Map<Binding, Map<Subject, String>> reasons = new java.util.IdentityHashMap<>();

        Scope(List<Binding> bindings, RbacPolicy p) {
            this.bindings = bindings;
            for (int i = 0; i < bindings.size(); i++) {
                Binding b = bindings.get(i);
                rules.add(p.rulesOf(b));
                Map<Subject, String> r = new HashMap<>();
                for (Subject s : b.subjects()) {
                    switch (s.kind()) {
                        case "User" -> byUser.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(i);
                        case "Group" -> byGroup.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(i);
                        case "ServiceAccount" -> {
                            String ns = s.namespace().isEmpty() ? b.namespace() : s.namespace();
                            if (!ns.isEmpty()) byUser.computeIfAbsent("system:serviceaccount:" + ns + ":" + s.name(), k -> new ArrayList<>()).add(i);
                        }
                        default -> { }
                    }
                    r.put(s, RbacAuthorizer.describe(b, s));
                }
                reasons.put(b, r);
            }
        }

        /** Indexes of the bindings naming this user or one of its groups, in binding-name order. */
        int[] candidates(UserInfo user) {
            List<Integer> u = byUser.get(user.name());
            int n = u == null ? 0 : u.size();
            for (String g : user.groups()) {
                List<Integer> l = byGroup.get(g);
                if (l != null) n += l.size();
            }
            if (n == 0) return new int[0];
            int[] out = new int[n];
            int k = 0;
            if (u != null) for (int i : u) out[k++] = i;
            for (String g : user.groups()) {
                List<Integer> l = byGroup.get(g);
                if (l != null) for (int i : l) out[k++] = i;
            }
            java.util.Arrays.sort(out);
            return out;
        }
    }

    private final Scope clusterScope;
    private final Map<String, Scope> namespaceScopes = new HashMap<>();

    RbacPolicy(Map<String, List<PolicyRule>> roles, Map<String, ClusterRole> clusterRoles, List<Binding> clusterRoleBindings,
               Map<String, List<Binding>> roleBindings) {
        this.roles = roles;
        this.clusterRoles = clusterRoles;
        this.clusterRoleBindings = clusterRoleBindings;
        this.roleBindings = roleBindings;
        this.clusterScope = new Scope(clusterRoleBindings, this);
        roleBindings.forEach((ns, list) -> namespaceScopes.put(ns, new Scope(list, this)));
    }

    /** The precomputed "ClusterRoleBinding "x" of ClusterRole "y" to Group "z"" for an allowing binding. */
    String reason(Binding b, Subject s) {
        Scope scope = b.namespace().isEmpty() ? clusterScope : namespaceScopes.get(b.namespace());
        Map<Subject, String> byBinding = scope == null ? null : scope.reasons.get(b);
        String r = byBinding == null ? null : byBinding.get(s);
        return r != null ? r : RbacAuthorizer.describe(b, s);
    }

    /** Builds a policy from the objects as served (JSON trees), e.g. fetched through the API by "who can". */
    public static RbacPolicy of(List<ObjectNode> roles, List<ObjectNode> clusterRoles, List<ObjectNode> roleBindings,
                                List<ObjectNode> clusterRoleBindings) {
        Builder b = new Builder();
        roles.forEach(b::putRole);
        clusterRoles.forEach(b::putClusterRole);
        roleBindings.forEach(b::putRoleBinding);
        clusterRoleBindings.forEach(b::putClusterRoleBinding);
        return b.build();
    }

    public Map<String, ClusterRole> clusterRoles() { return clusterRoles; }

    public List<Binding> clusterRoleBindings() { return clusterRoleBindings; }

    public List<Binding> roleBindings(String namespace) { return roleBindings.getOrDefault(namespace, List.of()); }

    public List<String> namespacesWithRoleBindings() { return List.copyOf(new TreeMap<>(roleBindings).keySet()); }

    /** Whether the role a binding references exists. */
    public boolean roleExists(Binding b) {
        return b.roleKind().equals("ClusterRole") ? clusterRoles.containsKey(b.roleName())
                : roles.containsKey(b.namespace() + "/" + b.roleName());
    }

    /** The rules a binding grants (empty if its role does not exist: a dangling binding grants nothing). */
    public List<PolicyRule> rulesOf(Binding b) {
        if (b.roleKind().equals("ClusterRole")) {
            ClusterRole cr = clusterRoles.get(b.roleName());
            return cr == null ? List.of() : cr.rules();
        }
        return roles.getOrDefault(b.namespace() + "/" + b.roleName(), List.of());
    }

    /** Visits, in upstream's order, every (binding, rule) that applies to {@code user} in {@code namespace}. */
    public interface RuleVisitor {
        /** @return false to stop */
        boolean visit(Binding binding, Subject subject, PolicyRule rule);
    }

    public void visitRulesFor(UserInfo user, String namespace, RuleVisitor visitor) {
        if (!visit(clusterScope, user, "", visitor)) return;
        if (namespace == null || namespace.isEmpty()) return;
        Scope ns = namespaceScopes.get(namespace);
        if (ns != null) visit(ns, user, namespace, visitor);
    }

    /** @return false if the visitor stopped */
    private static boolean visit(Scope scope, UserInfo user, String namespace, RuleVisitor visitor) {
        int prev = -1;
        for (int i : scope.candidates(user)) {
            if (i == prev) continue; // named both as the user and through a group
            prev = i;
            Binding b = scope.bindings.get(i);
            Subject s = matchingSubject(b, user, namespace);
            if (s == null) continue;
            for (PolicyRule r : scope.rules.get(i)) if (!visitor.visit(b, s, r)) return false;
        }
        return true;
    }

    public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> out = new ArrayList<>();
        visitRulesFor(user, namespace, (b, s, r) -> out.add(r));
        return out;
    }

    /** {@code appliesToUser}: the first subject of the binding that names this user. */
    static Subject matchingSubject(Binding b, UserInfo user, String bindingNamespace) {
        for (Subject s : b.subjects()) {
            switch (s.kind()) {
                case "User" -> { if (s.name().equals(user.name())) return s; }
                case "Group" -> { if (user.groups().contains(s.name())) return s; }
                case "ServiceAccount" -> {
                    String ns = s.namespace().isEmpty() ? bindingNamespace : s.namespace();
                    if (!ns.isEmpty() && user.name().equals("system:serviceaccount:" + ns + ":" + s.name())) return s;
                }
                default -> { }
            }
        }
        return null;
    }

    /** Accumulates objects; used by the cache (incrementally) and by {@link #of}. */
    static final class Builder {
        final Map<String, List<PolicyRule>> roles = new HashMap<>();
        final Map<String, ClusterRole> clusterRoles = new HashMap<>();
        final Map<String, Binding> clusterRoleBindings = new HashMap<>();
        final Map<String, Binding> roleBindings = new HashMap<>(); // "ns/name"

        Builder() {}

        Builder(RbacPolicy p) {
            roles.putAll(p.roles);
            clusterRoles.putAll(p.clusterRoles);
            for (Binding b : p.clusterRoleBindings) clusterRoleBindings.put(b.name(), b);
            for (List<Binding> l : p.roleBindings.values()) for (Binding b : l) roleBindings.put(b.namespace() + "/" + b.name(), b);
        }

        void putRole(ObjectNode o) { roles.put(Meta.namespace(o) + "/" + Meta.name(o), List.copyOf(PolicyRule.listFromJson(o.get("rules")))); }

        void putClusterRole(ObjectNode o) {
            clusterRoles.put(Meta.name(o), new ClusterRole(Meta.name(o), List.copyOf(PolicyRule.listFromJson(o.get("rules"))),
                    Meta.labels(o), o.get("aggregationRule")));
        }

        void putRoleBinding(ObjectNode o) { roleBindings.put(Meta.namespace(o) + "/" + Meta.name(o), binding(o, Meta.namespace(o))); }

        void putClusterRoleBinding(ObjectNode o) { clusterRoleBindings.put(Meta.name(o), binding(o, "")); }

        private static Binding binding(ObjectNode o, String ns) {
            List<Subject> subjects = new ArrayList<>();
            for (JsonNode s : o.path("subjects")) {
                subjects.add(new Subject(s.path("kind").asText(""), s.path("name").asText(""), s.path("namespace").asText("")));
            }
            JsonNode ref = o.path("roleRef");
            return new Binding(Meta.name(o), ns, ref.path("kind").asText(""), ref.path("name").asText(""), List.copyOf(subjects));
        }

        RbacPolicy build() {
            List<Binding> crbs = new ArrayList<>(clusterRoleBindings.values());
            crbs.sort(Comparator.comparing(Binding::name));
            Map<String, List<Binding>> rbs = new HashMap<>();
            for (Binding b : roleBindings.values()) rbs.computeIfAbsent(b.namespace(), k -> new ArrayList<>()).add(b);
            rbs.replaceAll((k, v) -> {
                v.sort(Comparator.comparing(Binding::name));
                return List.copyOf(v);
            });
            return new RbacPolicy(Map.copyOf(roles), Map.copyOf(clusterRoles), List.copyOf(crbs), Map.copyOf(rbs));
        }
    }
}
