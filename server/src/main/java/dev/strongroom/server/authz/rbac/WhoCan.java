package dev.strongroom.server.authz.rbac;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The auditor's question, "who can get secrets in namespace X?": every subject granted the request by some binding,
 * with the binding and role that grant it. Members of {@code system:masters} can do everything without any binding;
 * they are listed first.
 */
public final class WhoCan {
    private WhoCan() {}

    /** One way a subject gets the permission. */
    public record Grant(String subjectKind, String subject, String binding, String role) {}

    /**
     * @param request the request to check; its user is ignored
     */
    public static List<Grant> who(RbacPolicy policy, Attributes request) {
        Set<Grant> out = new LinkedHashSet<>();
        out.add(new Grant("Group", UserInfo.MASTERS, "(superuser group, no binding needed)", "-"));
        List<RbacPolicy.Binding> bindings = new ArrayList<>(policy.clusterRoleBindings());
        if (!request.namespace().isEmpty()) bindings.addAll(policy.roleBindings(request.namespace()));
        UserInfo anyone = new UserInfo("", "", List.of(), Map.of());
        Attributes a = new Attributes(anyone, request.verb(), request.resourceRequest(), request.path(), request.apiGroup(),
                request.apiVersion(), request.namespace(), request.resource(), request.subresource(), request.name());
        for (RbacPolicy.Binding b : bindings) {
            boolean grants = false;
            for (PolicyRule r : policy.rulesOf(b)) if (RuleMatcher.allows(a, r)) { grants = true; break; }
            if (!grants) continue;
            String binding = b.namespace().isEmpty() ? "ClusterRoleBinding/" + b.name() : "RoleBinding/" + b.namespace() + "/" + b.name();
            String role = b.roleKind() + "/" + b.roleName();
            for (RbacPolicy.Subject s : b.subjects()) {
                String name = s.kind().equals("ServiceAccount")
                        ? "system:serviceaccount:" + (s.namespace().isEmpty() ? b.namespace() : s.namespace()) + ":" + s.name()
                        : s.name();
                out.add(new Grant(s.kind(), name, binding, role));
            }
        }
        return List.copyOf(out);
    }
}
