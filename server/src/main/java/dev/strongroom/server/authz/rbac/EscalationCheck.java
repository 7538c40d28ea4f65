package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;
import dev.strongroom.server.authz.Authorizer;
import dev.strongroom.server.registry.Admission;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.Resources;

import java.util.List;

/**
 * RBAC escalation prevention (kube-apiserver's policy-based RBAC storage): a user may write a Role only if they hold
 * every permission it grants or may {@code escalate}; may write a binding only if they may {@code bind} the role or
 * hold its permissions; only a cluster admin may set an aggregationRule. {@code system:masters} may do anything.
 */
public final class EscalationCheck implements Admission {
    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.resource(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.nonResource(List.of("*"), List.of("*")));

    private final Authorizer authorizer;
    private final PolicyCache cache;

    public EscalationCheck(Authorizer authorizer, PolicyCache cache) {
        this.authorizer = authorizer;
        this.cache = cache;
    }

    @Override
    public void admitCreate(ResourceDef def, ObjectNode obj, UserInfo user) { check(def, obj, null, user); }

    @Override
    public void admitUpdate(ResourceDef def, ObjectNode obj, ObjectNode old, UserInfo user) { check(def, obj, old, user); }

    private void check(ResourceDef def, ObjectNode obj, ObjectNode old, UserInfo user) {
        if (user == null || user.inGroup(UserInfo.MASTERS)) return;
        if (def == Resources.ROLES || def == Resources.CLUSTER_ROLES) checkRole(def, obj, old, user);
        else if (def == Resources.ROLE_BINDINGS || def == Resources.CLUSTER_ROLE_BINDINGS) checkBinding(def, obj, user);
    }

    private void checkRole(ResourceDef def, ObjectNode obj, ObjectNode old, UserInfo user) {
        String ns = Meta.namespace(obj), name = Meta.name(obj);
        if (authorized(user, "escalate", def.plural(), ns, name)) return;
        RbacPolicy policy = cache.policy();
        List<PolicyRule> owner = policy.rulesFor(user, ns);
        List<PolicyRule> missing = Covers.uncovered(owner, PolicyRule.listFromJson(obj.get("rules")));
        if (!missing.isEmpty()) throw ApiException.forbidden(def.groupResource(), name, notHeld(user, missing));
        if (def == Resources.CLUSTER_ROLES && (hasAggregation(obj) || (old != null && hasAggregation(old)))
                && !Covers.uncovered(owner, FULL_AUTHORITY).isEmpty()) {
            throw ApiException.forbidden(def.groupResource(), name, "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private void checkBinding(ResourceDef def, ObjectNode obj, UserInfo user) {
        String ns = Meta.namespace(obj), name = Meta.name(obj);
        JsonNode ref = obj.path("roleRef");
        String roleKind = ref.path("kind").asText(""), roleName = ref.path("name").asText("");
        String roleResource = roleKind.toLowerCase() + "s";
        if (authorized(user, "bind", roleResource, def.namespaced() ? ns : "", roleName)) return;
        RbacPolicy policy = cache.policy();
        RbacPolicy.Binding asBinding = new RbacPolicy.Binding(name, def.namespaced() ? ns : "", roleKind, roleName, List.of());
        if (!policy.roleExists(asBinding)) {
            throw ApiException.forbidden(def.groupResource(), name, roleKind.toLowerCase() + ".rbac.authorization.k8s.io \"" + roleName + "\" not found");
        }
        List<PolicyRule> missing = Covers.uncovered(policy.rulesFor(user, ns), policy.rulesOf(asBinding));
        if (!missing.isEmpty()) throw ApiException.forbidden(def.groupResource(), name, notHeld(user, missing));
    }

    private boolean authorized(UserInfo user, String verb, String resource, String ns, String name) {
        return authorizer.authorize(new Attributes(user, verb, true, "", Resources.RBAC, "*", ns, resource, "", name)).allowed();
    }

    private static boolean hasAggregation(ObjectNode o) {
        JsonNode a = o.get("aggregationRule");
        return a != null && !a.isNull();
    }

    static String notHeld(UserInfo user, List<PolicyRule> missing) {
        return "user \"" + user.name() + "\" (groups=" + PolicyRule.goList(user.groups()) + ") is attempting to grant RBAC permissions not currently held:\n"
                + String.join("\n", Covers.describe(missing));
    }
}
