package dev.strongroom.server.registry.namespaces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.GroupResource;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Namespace admission and deletion, as kube-apiserver's NamespaceLifecycle admission plugin and namespace
 * controller: objects can only be created in an existing, active namespace; deleting a namespace marks it
 * Terminating, deletes everything in it, then removes it (kubectl waits for that DELETED event).
 */
public final class NamespaceLifecycle implements dev.strongroom.server.registry.Admission, ResourceHandler.DeleteHook, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamespaceLifecycle.class);
    private static final Set<String> UNDELETABLE = Set.of("default", "kube-system", "kube-public");

    private final ResourceStore namespaces;
    private final Supplier<List<ResourceStore>> namespacedStores;
    private final Clock clock;
    private final ExecutorService finalizers = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * Namespace name → terminating?, kept current from the store's watch so admitting a create needs no decryption.
     * Namespaces hold no secret values. A name missing here is looked up in the store (the watch may lag a create).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> phases = new java.util.concurrent.ConcurrentHashMap<>();
    private dev.strongroom.store.Watch watch;

    public NamespaceLifecycle(ResourceStore namespaces, Supplier<List<ResourceStore>> namespacedStores, Clock clock) {
        this.namespaces = namespaces;
        this.namespacedStores = namespacedStores;
        this.clock = clock;
    }

    /** Starts following namespaces for admission. */
    public void start() {
        ResourceStore.Page page = namespaces.list("", LabelSelector.everything(), FieldSelector.everything(), 0, null);
        for (ObjectNode ns : page.items()) phases.put(Meta.name(ns), terminating(ns));
        watch = namespaces.revisioned().watch(namespaces.def().prefix(""), page.revision(), events -> {
            for (var e : events) {
                String name = e.kv().key().substring(namespaces.def().prefix("").length());
                if (e.type() == dev.strongroom.store.WatchEvent.Type.DELETE) phases.remove(name);
                else phases.put(name, terminating(namespaces.decode(e.kv())));
            }
        });
    }

    private static boolean terminating(ObjectNode ns) {
        return "Terminating".equals(ns.path("status").path("phase").asText());
    }

    @Override
    public void admitCreate(ResourceDef def, ObjectNode obj, dev.strongroom.server.authn.UserInfo user) {
        if (!def.namespaced()) return;
        String ns = Meta.namespace(obj);
        Boolean known = phases.get(ns);
        if (known == null) {
            ResourceStore.Stored n = namespaces.get("", ns);
            if (n == null) throw ApiException.notFound(GroupResource.core("namespaces"), ns);
            known = terminating(n.object());
        }
        if (known) {
            throw ApiException.forbidden(def.groupResource(), Meta.name(obj),
                    "unable to create new content in namespace " + ns + " because it is being terminated");
        }
    }

    @Override
    public ApiResponse delete(ApiRequest req, ResourceStore.Stored current, boolean dryRun) {
        ObjectNode ns = current.object();
        String name = Meta.name(ns);
        if (UNDELETABLE.contains(name)) {
            throw ApiException.forbidden(GroupResource.core("namespaces"), name, "this namespace may not be deleted");
        }
        if (!Meta.str(ns.get("metadata"), "deletionTimestamp").isEmpty()) {
            return ResourceHandler.json(req, 200, ns);
        }
        ObjectNode terminating = ns.deepCopy();
        Meta.meta(terminating).put("deletionTimestamp", Meta.time(clock.instant()));
        Meta.meta(terminating).put("deletionGracePeriodSeconds", 0);
        ((ObjectNode) terminating.get("status")).put("phase", "Terminating");
        Meta.meta(terminating).remove("resourceVersion");
        ResourceStore.Stored s = namespaces.update(terminating, current.modRevision(), dryRun);
        if (s == null) throw ApiException.modified(GroupResource.core("namespaces"), name);
        if (!dryRun) finalizers.execute(() -> finalizeNamespace(name));
        return ResourceHandler.json(req, 200, s.object());
    }

    /** Resumes namespaces left Terminating by a previous run. */
    public void resumePending() {
        for (ObjectNode ns : namespaces.list("", LabelSelector.everything(), FieldSelector.everything(), 0, null).items()) {
            if (!Meta.str(ns.get("metadata"), "deletionTimestamp").isEmpty()) {
                String name = Meta.name(ns);
                finalizers.execute(() -> finalizeNamespace(name));
            }
        }
    }

    private void finalizeNamespace(String name) {
        try {
            for (ResourceStore rs : namespacedStores.get()) {
                for (ObjectNode o : rs.list(name, LabelSelector.everything(), FieldSelector.everything(), 0, null).items()) {
                    long rv = Long.parseLong(Meta.str(o.get("metadata"), "resourceVersion"));
                    rs.delete(name, Meta.name(o), rv, false);
                }
            }
            ResourceStore.Stored n = namespaces.get("", name);
            if (n != null) namespaces.delete("", name, n.modRevision(), false);
        } catch (RuntimeException e) {
            log.error("finalizing namespace {} failed; it will be retried at the next start", name, e);
        }
    }

    @Override
    public void close() {
        if (watch != null) watch.close();
        finalizers.shutdownNow();
    }
}
