package dev.strongroom.server.authz.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.server.registry.Registry;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.Resources;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The RBAC objects in memory, kept current by watching the store, as kube-apiserver's RBAC authorizer reads
 * informer caches. It holds policy (who may do what), never secret values. Readers get an immutable
 * {@link RbacPolicy}; writers (the watch) replace it.
 */
public final class PolicyCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PolicyCache.class);
    private static final List<ResourceDef> KINDS = List.of(Resources.ROLES, Resources.CLUSTER_ROLES, Resources.ROLE_BINDINGS,
            Resources.CLUSTER_ROLE_BINDINGS);

    private final Registry registry;
    private final List<Watch> watches = new ArrayList<>();
    private volatile RbacPolicy policy = RbacPolicy.EMPTY;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PolicyCache(Registry registry) { this.registry = registry; }

    public void start() {
        RbacPolicy.Builder b = new RbacPolicy.Builder();
        List<Long> revisions = new ArrayList<>();
        for (ResourceDef d : KINDS) {
            ResourceStore.Page page = registry.store(d).list("", LabelSelector.everything(), FieldSelector.everything(), 0, null);
            for (ObjectNode o : page.items()) put(b, d, o);
            revisions.add(page.revision());
        }
        policy = b.build();
        for (int i = 0; i < KINDS.size(); i++) {
            ResourceDef d = KINDS.get(i);
            ResourceStore rs = registry.store(d);
            watches.add(rs.revisioned().watch(d.prefix(""), revisions.get(i), events -> apply(d, rs, events)));
        }
    }

    public RbacPolicy policy() { return policy; }

    /** Runs {@code r} (on the store's notifier thread; it must not block) after every change. */
    public void onChange(Runnable r) { listeners.add(r); }

    /** The revision up to which every RBAC change has been applied. */
    public long progress() {
        long p = Long.MAX_VALUE;
        for (Watch w : watches) p = Math.min(p, w.progressRevision());
        return watches.isEmpty() ? 0 : p;
    }

    /**
     * Waits (bounded) until changes up to {@code revision} are applied, so a client that just wrote a binding sees
     * it in its next request. Returns at once in the common case.
     */
    public void awaitProgress(long revision, long timeoutMillis) {
        if (progress() >= revision) return;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (this) {
            while (progress() < revision) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                try {
                    wait(Math.min(left, 10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized void apply(ResourceDef d, ResourceStore rs, List<WatchEvent> events) {
        RbacPolicy.Builder b = new RbacPolicy.Builder(policy);
        for (WatchEvent e : events) {
            try {
                if (e.type() == WatchEvent.Type.DELETE) remove(b, d, e.kv().key());
                else put(b, d, rs.decode(e.kv()));
            } catch (RuntimeException ex) {
                log.error("RBAC cache: cannot apply the change to {}", e.kv().key(), ex);
            }
        }
        policy = b.build();
        notifyAll();
        listeners.forEach(Runnable::run);
    }

    private static void put(RbacPolicy.Builder b, ResourceDef d, ObjectNode o) {
        if (d == Resources.ROLES) b.putRole(o);
        else if (d == Resources.CLUSTER_ROLES) b.putClusterRole(o);
        else if (d == Resources.ROLE_BINDINGS) b.putRoleBinding(o);
        else b.putClusterRoleBinding(o);
    }

    private static void remove(RbacPolicy.Builder b, ResourceDef d, String key) {
        // Keys are /registry/<plural>/[<ns>/]<name>
        String rest = key.substring(d.prefix("").length());
        if (d == Resources.ROLES) b.roles.remove(rest);
        else if (d == Resources.CLUSTER_ROLES) b.clusterRoles.remove(rest);
        else if (d == Resources.ROLE_BINDINGS) b.roleBindings.remove(rest);
        else b.clusterRoleBindings.remove(rest);
    }

    @Override
    public void close() { watches.forEach(Watch::close); }
}
