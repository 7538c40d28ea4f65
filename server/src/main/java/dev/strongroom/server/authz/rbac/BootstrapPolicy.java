package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bootstrap roles and bindings of kube-apiserver ({@code plugin/pkg/auth/authorizer/rbac/bootstrappolicy}),
 * restricted to the API groups Strongroom serves. Created at start when missing and reconciled unless the object
 * carries {@code rbac.authorization.kubernetes.io/autoupdate: "false"}, as upstream does.
 */
public final class BootstrapPolicy {
    private static final Logger log = LoggerFactory.getLogger(BootstrapPolicy.class);
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
    private static final String AUTHN = "authentication.k8s.io", AUTHZ = "authorization.k8s.io";

    private BootstrapPolicy() {}

    record Role(String name, List<PolicyRule> rules, Map<String, String> labels, List<String> aggregateFrom) {}

    record Binding(String name, String role, List<String> groups) {}

    static final List<Role> CLUSTER_ROLES = List.of(
            new Role("cluster-admin", List.of(
                    PolicyRule.resource(List.of("*"), List.of("*"), List.of("*")),
                    PolicyRule.nonResource(List.of("*"), List.of("*"))), Map.of(), List.of()),
            new Role("system:discovery", List.of(PolicyRule.nonResource(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*",
                    "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))), Map.of(), List.of()),
            new Role("system:public-info-viewer", List.of(PolicyRule.nonResource(List.of("get"),
                    List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))), Map.of(), List.of()),
            new Role("system:basic-user", List.of(
                    PolicyRule.resource(List.of("create"), List.of(AUTHN), List.of("selfsubjectreviews")),
                    PolicyRule.resource(List.of("create"), List.of(AUTHZ), List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"))),
                    Map.of(), List.of()),
            new Role("system:service-account-issuer-discovery", List.of(PolicyRule.nonResource(List.of("get"),
                    List.of("/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"))),
                    Map.of(), List.of()),
            new Role("system:auth-delegator", List.of(
                    PolicyRule.resource(List.of("create"), List.of(AUTHN), List.of("tokenreviews")),
                    PolicyRule.resource(List.of("create"), List.of(AUTHZ), List.of("subjectaccessreviews"))), Map.of(), List.of()),
            // The user-facing roles aggregate the system:aggregate-to-* roles, so admin ⊇ edit ⊇ view.
            new Role("admin", List.of(), Map.of(), List.of("rbac.authorization.k8s.io/aggregate-to-admin")),
            new Role("edit", List.of(), Map.of("rbac.authorization.k8s.io/aggregate-to-admin", "true"), List.of("rbac.authorization.k8s.io/aggregate-to-edit")),
            new Role("view", List.of(), Map.of("rbac.authorization.k8s.io/aggregate-to-edit", "true"), List.of("rbac.authorization.k8s.io/aggregate-to-view")),
            new Role("system:aggregate-to-admin", List.of(
                    PolicyRule.resource(List.of("create"), List.of(AUTHZ), List.of("localsubjectaccessreviews")),
                    PolicyRule.resource(READ_WRITE, List.of(Resources.RBAC), List.of("roles", "rolebindings"))),
                    Map.of("rbac.authorization.k8s.io/aggregate-to-admin", "true"), List.of()),
            new Role("system:aggregate-to-edit", List.of(
                    // Secrets are readable and writable by editors; they are what "view" leaves out.
                    PolicyRule.resource(READ, List.of(""), List.of("pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy")),
                    PolicyRule.resource(List.of("impersonate"), List.of(""), List.of("serviceaccounts")),
                    PolicyRule.resource(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward")),
                    PolicyRule.resource(WRITE, List.of(""), List.of("replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                            "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events")),
                    PolicyRule.resource(List.of("create"), List.of(""), List.of("serviceaccounts/token"))),
                    Map.of("rbac.authorization.k8s.io/aggregate-to-edit", "true"), List.of()),
            new Role("system:aggregate-to-view", List.of(
                    // No secrets: reading them is escalating.
                    PolicyRule.resource(READ, List.of(""), List.of("pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                            "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps")),
                    PolicyRule.resource(READ, List.of(""), List.of("limitranges", "resourcequotas", "bindings", "events",
                            "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log")),
                    PolicyRule.resource(READ, List.of(""), List.of("namespaces"))),
                    Map.of("rbac.authorization.k8s.io/aggregate-to-view", "true"), List.of()));

    static final List<Binding> CLUSTER_ROLE_BINDINGS = List.of(
            new Binding("cluster-admin", "cluster-admin", List.of("system:masters")),
            new Binding("system:discovery", "system:discovery", List.of("system:authenticated")),
            new Binding("system:basic-user", "system:basic-user", List.of("system:authenticated")),
            new Binding("system:public-info-viewer", "system:public-info-viewer", List.of("system:authenticated", "system:unauthenticated")),
            new Binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", List.of("system:serviceaccounts")));

    /** Creates missing bootstrap objects and reconciles changed ones that allow it. */
    public static void ensure(ResourceStore clusterRoles, ResourceStore clusterRoleBindings, Clock clock) {
        for (Role r : CLUSTER_ROLES) {
            ObjectNode o = base("ClusterRole", r.name(), clock);
            ArrayNode rules = o.putArray("rules");
            r.rules().forEach(rule -> rules.add(rule.toJson()));
            if (!r.labels().isEmpty()) r.labels().forEach((k, v) -> ((ObjectNode) o.get("metadata").get("labels")).put(k, v));
            if (!r.aggregateFrom().isEmpty()) {
                ArrayNode sel = o.putObject("aggregationRule").putArray("clusterRoleSelectors");
                for (String label : r.aggregateFrom()) sel.addObject().putObject("matchLabels").put(label, "true");
                o.remove("rules"); // filled by the aggregation controller
            }
            reconcile(clusterRoles, o, List.of("rules", "aggregationRule"));
        }
        for (Binding b : CLUSTER_ROLE_BINDINGS) {
            ObjectNode o = base("ClusterRoleBinding", b.name(), clock);
            ArrayNode subjects = o.putArray("subjects");
            for (String g : b.groups()) {
                ObjectNode s = subjects.addObject();
                s.put("kind", "Group");
                s.put("apiGroup", Resources.RBAC);
                s.put("name", g);
            }
            ObjectNode ref = o.putObject("roleRef");
            ref.put("apiGroup", Resources.RBAC);
            ref.put("kind", "ClusterRole");
            ref.put("name", b.role());
            reconcile(clusterRoleBindings, o, List.of("subjects"));
        }
    }

    private static ObjectNode base(String kind, String name, Clock clock) {
        ObjectNode o = Json.object();
        o.put("kind", kind);
        o.put("apiVersion", Resources.RBAC + "/v1");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Meta.time(clock.instant()));
        meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
        return o;
    }

    private static void reconcile(ResourceStore store, ObjectNode wanted, List<String> fields) {
        String name = Meta.name(wanted);
        ResourceStore.Stored existing = store.get("", name);
        if (existing == null) {
            try {
                store.create(wanted, false);
            } catch (RuntimeException e) {
                if (store.get("", name) == null) throw e;
            }
            return;
        }
        ObjectNode cur = existing.object();
        if ("false".equals(Meta.stringMap(cur.path("metadata").get("annotations")).get("rbac.authorization.kubernetes.io/autoupdate"))) return;
        ObjectNode updated = cur.deepCopy();
        boolean changed = false;
        for (String f : fields) {
            if (f.equals("rules") && wanted.has("aggregationRule")) continue; // the aggregation controller owns those rules
            if (!java.util.Objects.equals(cur.get(f), wanted.get(f))) {
                if (wanted.has(f)) updated.set(f, wanted.get(f));
                else updated.remove(f);
                changed = true;
            }
        }
        if (!changed) return;
        Meta.meta(updated).remove("resourceVersion");
        if (store.update(updated, existing.modRevision(), false) == null) log.warn("bootstrap {} changed concurrently; not reconciled", name);
    }
}
