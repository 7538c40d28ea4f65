package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Map<String, RbacPolicy.ClusterRole> roles = new TreeMap<>(cache.policy().clusterRoles());
        for (RbacPolicy.ClusterRole target : roles.values()) {
            if (target.aggregationRule() == null || target.aggregationRule().isNull()) continue;
            Set<PolicyRule> union = new LinkedHashSet<>();
            for (RbacPolicy.ClusterRole source : roles.values()) {
                if (source.name().equals(target.name())) continue;
                if (matchesAny(target.aggregationRule().path("clusterRoleSelectors"), source.labels())) union.addAll(source.rules());
            }
            List<PolicyRule> rules = new ArrayList<>(union);
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

    /** metav1.LabelSelector semantics: matchLabels AND matchExpressions; a selector list matches if any does. */
    static boolean matchesAny(JsonNode selectors, Map<String, String> labels) {
        for (JsonNode sel : selectors) if (matches(sel, labels)) return true;
        return false;
    }

    static boolean matches(JsonNode sel, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> sel.path("matchLabels").fields()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) return false;
        }
        for (JsonNode ex : sel.path("matchExpressions")) {
            String key = ex.path("key").asText();
            Set<String> values = new LinkedHashSet<>();
            ex.path("values").forEach(v -> values.add(v.asText()));
            String v = labels.get(key);
            boolean ok = switch (ex.path("operator").asText()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) return false;
        }
        return true; // an empty selector selects everything, as metav1.LabelSelectorAsSelector
    }

    @Override
    public void close() { worker.shutdownNow(); }
}
