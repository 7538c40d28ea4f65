package dev.strongroom.server.authz.rbac;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;
import dev.strongroom.server.authz.Authorizer;
import dev.strongroom.server.authz.Decision;
import dev.strongroom.store.RevisionedStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes RBAC ({@code plugin/pkg/auth/authorizer/rbac}): purely additive, deny by default; ClusterRoleBindings
 * first, then RoleBindings of the request's namespace; the first rule that allows decides. {@code system:masters}
 * is allowed everything before RBAC is consulted, as kube-apiserver's privileged-group authorizer does.
 */
public final class RbacAuthorizer implements Authorizer {
    private static final long FRESHNESS_WAIT_MILLIS = 500;

    private final PolicyCache cache;
    private final RevisionedStore store;

    public RbacAuthorizer(PolicyCache cache, RevisionedStore store) {
        this.cache = cache;
        this.store = store;
    }

    @Override
    public Decision authorize(Attributes a) {
        if (a.user().inGroup(UserInfo.MASTERS)) return Decision.allow("");
        cache.awaitProgress(store.currentRevision(), FRESHNESS_WAIT_MILLIS);
        return authorize(cache.policy(), a);
    }

    /** Evaluates {@code a} against {@code policy} (also used by reviews and escalation checks). */
    public static Decision authorize(RbacPolicy policy, Attributes a) {
        String[] reason = {null};
        Set<String> errors = new LinkedHashSet<>();
        policy.visitRulesFor(a.user(), a.namespace(), (b, s, r) -> {
            if (RuleMatcher.allows(a, r)) {
                reason[0] = policy.reason(b, s);
                return false;
            }
            return true;
        });
        if (reason[0] != null) return Decision.allow(reason[0]);
        // Upstream reports bindings that name a missing role, but only those that apply to this user.
        collectMissingRoles(policy, a, errors);
        if (errors.isEmpty()) return Decision.deny("");
        List<String> e = new ArrayList<>(errors);
        return Decision.deny("RBAC: " + (e.size() == 1 ? e.get(0) : "[" + String.join(", ", e) + "]"));
    }

    private static void collectMissingRoles(RbacPolicy policy, Attributes a, Set<String> errors) {
        List<RbacPolicy.Binding> bindings = new ArrayList<>(policy.clusterRoleBindings());
        if (!a.namespace().isEmpty()) bindings.addAll(policy.roleBindings(a.namespace()));
        for (RbacPolicy.Binding b : bindings) {
            if (RbacPolicy.matchingSubject(b, a.user(), b.namespace()) == null) continue;
            if (!policy.roleExists(b)) {
                errors.add(b.roleKind().toLowerCase() + ".rbac.authorization.k8s.io \"" + b.roleName() + "\" not found");
            }
        }
    }

    /** {@code ClusterRoleBinding "x" of ClusterRole "y" to Group "z"} / {@code RoleBinding "x/ns" of Role "y" to User "u"}. */
    static String describe(RbacPolicy.Binding b, RbacPolicy.Subject s) {
        return "RBAC: allowed by " + describeBinding(b, s);
    }

    private static String describeBinding(RbacPolicy.Binding b, RbacPolicy.Subject s) {
        String binding = b.cluster() ? "ClusterRoleBinding \"" + b.name() + "\"" : "RoleBinding \"" + b.name() + "/" + b.namespace() + "\"";
        return binding + " of " + b.roleKind() + " \"" + b.roleName() + "\" to " + s.describe();
    }

    public PolicyCache cache() { return cache; }
}
