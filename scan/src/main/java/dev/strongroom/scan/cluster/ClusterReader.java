package dev.strongroom.scan.cluster;

import dev.strongroom.scan.input.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads live objects through the Kubernetes API (fabric8 client, current kubeconfig) and renders
 * each one as YAML, the way {@code kubectl get -o yaml} shows it. The rendered text then goes
 * through the same loader as files, so findings on live objects also carry exact lines and
 * columns (of that rendering).
 *
 * <p>Secrets are never read: the scanner needs no Secret values, and not asking for them keeps the
 * permission it needs to "view"-like access.
 */
public final class ClusterReader {
    /** The cluster could not be reached or refused the scan entirely. */
    public static final class ClusterException extends Exception {
        public ClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Kind(String label, Supplier<List<? extends HasMetadata>> list) {}

    // Controllers' children repeat their owner's pod template; scanning them would report everything twice.
    private static final Set<String> CONTROLLER_KINDS = Set.of("ReplicaSet", "Deployment", "StatefulSet", "DaemonSet",
            "Job", "CronJob", "ReplicationController");

    private final KubernetesClient client;
    private final List<String> warnings = new ArrayList<>();

    public ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<Source> read() throws ClusterException {
        String context = contextName();
        List<Kind> kinds = List.of(
                new Kind("namespaces", () -> client.namespaces().list().getItems()),
                new Kind("pods", () -> client.pods().inAnyNamespace().list().getItems()),
                new Kind("deployments", () -> client.apps().deployments().inAnyNamespace().list().getItems()),
                new Kind("statefulsets", () -> client.apps().statefulSets().inAnyNamespace().list().getItems()),
                new Kind("daemonsets", () -> client.apps().daemonSets().inAnyNamespace().list().getItems()),
                new Kind("replicasets", () -> client.apps().replicaSets().inAnyNamespace().list().getItems()),
                new Kind("replicationcontrollers", () -> client.replicationControllers().inAnyNamespace().list().getItems()),
                new Kind("jobs", () -> client.batch().v1().jobs().inAnyNamespace().list().getItems()),
                new Kind("cronjobs", () -> client.batch().v1().cronjobs().inAnyNamespace().list().getItems()),
                new Kind("configmaps", () -> client.configMaps().inAnyNamespace().list().getItems()),
                new Kind("serviceaccounts", () -> client.serviceAccounts().inAnyNamespace().list().getItems()),
                new Kind("roles", () -> client.rbac().roles().inAnyNamespace().list().getItems()),
                new Kind("clusterroles", () -> client.rbac().clusterRoles().list().getItems()),
                new Kind("rolebindings", () -> client.rbac().roleBindings().inAnyNamespace().list().getItems()),
                new Kind("clusterrolebindings", () -> client.rbac().clusterRoleBindings().list().getItems()),
                new Kind("networkpolicies", () -> client.network().v1().networkPolicies().inAnyNamespace().list().getItems()),
                new Kind("resourcequotas", () -> client.resourceQuotas().inAnyNamespace().list().getItems()),
                new Kind("limitranges", () -> client.limitRanges().inAnyNamespace().list().getItems()));
        List<Source> sources = new ArrayList<>();
        int refused = 0;
        for (Kind kind : kinds) {
            List<? extends HasMetadata> items;
            try {
                items = kind.list().get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403 || e.getCode() == 404) {
                    // Partial access still gives a useful scan; say what was missing.
                    warnings.add("could not list " + kind.label() + " (HTTP " + e.getCode() + "): rules that need them see none");
                    refused++;
                    continue;
                }
                throw new ClusterException("cannot read " + kind.label() + " from the cluster: " + e.getMessage(), e);
            }
            for (HasMetadata item : items) {
                if (isControlled(item)) continue;
                item.getMetadata().setManagedFields(null); // bookkeeping, not configuration
                String ns = item.getMetadata().getNamespace();
                String name = "cluster:" + context + "/" + item.getKind() + "/" + (ns == null ? "" : ns + "/") + item.getMetadata().getName();
                sources.add(new Source(name, client.getKubernetesSerialization().asYaml(item), false));
            }
        }
        if (refused == kinds.size()) {
            throw new ClusterException("the cluster refused every list request: check the kubeconfig's credentials", null);
        }
        return sources;
    }

    private static boolean isControlled(HasMetadata item) {
        List<OwnerReference> owners = item.getMetadata().getOwnerReferences();
        if (owners == null) return false;
        for (OwnerReference o : owners) {
            if (Boolean.TRUE.equals(o.getController()) && CONTROLLER_KINDS.contains(o.getKind())) return true;
        }
        return false;
    }

    private String contextName() {
        try {
            var ctx = client.getConfiguration().getCurrentContext();
            return ctx == null || ctx.getName() == null ? "current" : ctx.getName();
        } catch (RuntimeException e) {
            return "current";
        }
    }
}
