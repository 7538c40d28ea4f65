package dev.strongroom.scan.rules.rbac;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-RBAC-002: cluster-admin bound anywhere, or admin/edit bound cluster-wide, to a non-system subject. */
public final class PrivilegedBindingRule implements Rule {
    static final RuleInfo INFO = rule("SR-RBAC-002", "RBAC")
            .title("cluster-admin (or admin/edit cluster-wide) bound to a subject outside system:")
            .severity(Severity.CRITICAL)
            .refs("CIS Kubernetes Benchmark v1.8 5.1.1 (ensure that the cluster-admin role is only used where required)",
                  "NSA-CISA Kubernetes Hardening Guide: least privilege")
            .why("""
                 cluster-admin is full control of the cluster, including every Secret and the power to grant
                 itself anything else; admin and edit bound by a ClusterRoleBinding give read/write on Secrets
                 and pods/exec in every namespace. A stolen credential of that subject is a cluster takeover.""")
            .fix("""
                 # Bind a narrower role, in one namespace:
                 apiVersion: rbac.authorization.k8s.io/v1
                 kind: RoleBinding
                 metadata:
                   name: team-a-edit
                   namespace: team-a
                 subjects:
                   - kind: Group
                     name: team-a
                     apiGroup: rbac.authorization.k8s.io
                 roleRef:
                   kind: ClusterRole
                   name: edit
                   apiGroup: rbac.authorization.k8s.io""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject binding : new RbacModel(inventory).bindings()) {
            String role = binding.body().path("roleRef").path("name").asText();
            boolean clusterWide = binding.kind().equals("ClusterRoleBinding");
            boolean dangerous = role.equals("cluster-admin")
                    || clusterWide && (role.equals("admin") || role.equals("edit"));
            if (!dangerous || !binding.body().path("roleRef").path("kind").asText().equals("ClusterRole")) continue;
            JsonNode subjects = binding.body().path("subjects");
            for (int i = 0; i < subjects.size(); i++) {
                JsonNode s = subjects.get(i);
                String name = s.path("name").asText();
                if (name.startsWith("system:")) continue;
                String who = s.path("kind").asText() + " " + (s.path("kind").asText().equals("ServiceAccount")
                        ? s.path("namespace").asText(binding.namespace()) + "/" + name : name);
                findings.add(INFO, binding, "/subjects/" + i, binding.kind() + " " + binding.name() + " gives " + who
                        + " the " + role + " ClusterRole" + (clusterWide ? " in every namespace" : " in namespace " + binding.namespace()));
            }
        }
    }
}
