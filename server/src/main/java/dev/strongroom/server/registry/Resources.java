package dev.strongroom.server.registry;

import dev.strongroom.server.registry.events.EventStrategy;
import dev.strongroom.server.registry.namespaces.NamespaceStrategy;
import dev.strongroom.server.registry.rbac.BindingStrategy;
import dev.strongroom.server.registry.rbac.RoleStrategy;
import dev.strongroom.server.registry.secrets.SecretStrategy;
import dev.strongroom.server.registry.serviceaccounts.ServiceAccountStrategy;

import java.util.List;

/** Every stored resource Strongroom serves, with its discovery facts. */
public final class Resources {
    private Resources() {}

    private static final List<String> ALL = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    public static final String RBAC = "rbac.authorization.k8s.io";

    public static final ResourceDef NAMESPACES = new ResourceDef("", "v1", "Namespace", "namespaces", "namespace", false,
            List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("ns"), new NamespaceStrategy());
    public static final ResourceDef SECRETS = new ResourceDef("", "v1", "Secret", "secrets", "secret", true,
            ALL, List.of(), new SecretStrategy());
    public static final ResourceDef EVENTS = new ResourceDef("", "v1", "Event", "events", "event", true,
            List.of("get", "list", "watch"), List.of("ev"), new EventStrategy());
    public static final ResourceDef SERVICE_ACCOUNTS = new ResourceDef("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true,
            ALL, List.of("sa"), new ServiceAccountStrategy());
    public static final ResourceDef ROLES = new ResourceDef(RBAC, "v1", "Role", "roles", "role", true,
            ALL, List.of(), new RoleStrategy(false));
    public static final ResourceDef CLUSTER_ROLES = new ResourceDef(RBAC, "v1", "ClusterRole", "clusterroles", "clusterrole", false,
            ALL, List.of(), new RoleStrategy(true));
    public static final ResourceDef ROLE_BINDINGS = new ResourceDef(RBAC, "v1", "RoleBinding", "rolebindings", "rolebinding", true,
            ALL, List.of(), new BindingStrategy(false));
    public static final ResourceDef CLUSTER_ROLE_BINDINGS = new ResourceDef(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false,
            ALL, List.of(), new BindingStrategy(true));

    public static final List<ResourceDef> STORED = List.of(NAMESPACES, SECRETS, EVENTS, SERVICE_ACCOUNTS, ROLES, CLUSTER_ROLES,
            ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS);
}
