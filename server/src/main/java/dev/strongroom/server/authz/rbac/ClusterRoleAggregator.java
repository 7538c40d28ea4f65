package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets the
 * union of the rules of every other ClusterRole whose labels match one of its selectors (sorted by name, duplicates
 * dropped). Runs whenever the RBAC policy changes, until nothing changes.
 */
public final class ClusterRoleAggregator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterRoleAggregator.class);

    private final ResourceStore clusterRoles;
    private final PolicyCache cache;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clusterrole-aggregation");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    public ClusterRoleAggregator(ResourceStore clusterRoles, PolicyCache cache) {
        this.clusterRoles = clusterRoles;
        this.cache = cache;
    }

    /** Asks for a pass; passes coalesce. */
    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    log.warn("cluster role aggregation failed: {}", e.toString());
                }
            });
        }
    }

    /** One pass over the current objects; returns how many roles were rewritten. */
    public int runOnce() {
        int changed = 0;
        RbacPolicy policy = cache.policy();
        for (RbacPolicy.ClusterRole target : new TreeMap<>(policy.clusterRoles()).values()) {
            if (target.aggregationRule() == null || target.aggregationRule().isNull()) continue;
            List<PolicyRule> rules = AggregationRules.union(policy, target.name());
            if (rules.equals(target.rules())) continue;
            ResourceStore.Stored cur = clusterRoles.get("", target.name());
            if (cur == null) continue;
            ObjectNode updated = cur.object().deepCopy();
            ArrayNode arr = Json.NODES.arrayNode();
            rules.forEach(r -> arr.add(r.toJson()));
            updated.set("rules", arr);
            Meta.meta(updated).remove("resourceVersion");
            if (clusterRoles.update(updated, cur.modRevision(), false) != null) changed++;
        }
        return changed;
    }

    @Override
    public void close() { worker.shutdownNow(); }
}
