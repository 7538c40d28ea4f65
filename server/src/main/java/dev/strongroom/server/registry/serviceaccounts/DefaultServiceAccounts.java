package dev.strongroom.server.registry.serviceaccounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchEvent;
import dev.strongroom.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * kube-controller-manager's service-account controller: every active namespace has a {@code default}
 * ServiceAccount. Runs on namespace creation (watching the store) and at start for existing namespaces.
 */
public final class DefaultServiceAccounts implements WatchListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DefaultServiceAccounts.class);

    private final ResourceStore namespaces;
    private final ResourceStore serviceAccounts;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "default-serviceaccounts");
        t.setDaemon(true);
        return t;
    });
    private Watch watch;

    public DefaultServiceAccounts(ResourceStore namespaces, ResourceStore serviceAccounts, Clock clock) {
        this.namespaces = namespaces;
        this.serviceAccounts = serviceAccounts;
        this.clock = clock;
    }

    /** Creates what is missing now, then follows new namespaces. */
    public void start() {
        ResourceStore.Page page = namespaces.list("", LabelSelector.everything(), FieldSelector.everything(), 0, null);
        for (ObjectNode ns : page.items()) ensure(ns);
        watch = namespaces.revisioned().watch(namespaces.def().prefix(""), page.revision(), this);
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
            if (e.type() == WatchEvent.Type.PUT && e.prevKv() == null) {
                worker.execute(() -> {
                    try {
                        ensure(namespaces.decode(e.kv()));
                    } catch (RuntimeException ex) {
                        log.warn("cannot create the default service account for {}: {}", e.kv().key(), ex.toString());
                    }
                });
            }
        }
    }

    private void ensure(ObjectNode namespace) {
        String ns = Meta.name(namespace);
        if (!Meta.str(namespace.get("metadata"), "deletionTimestamp").isEmpty()) return;
        if (serviceAccounts.get(ns, "default") != null) return;
        ObjectNode sa = Json.object();
        sa.put("kind", "ServiceAccount");
        sa.put("apiVersion", "v1");
        ObjectNode meta = sa.putObject("metadata");
        meta.put("name", "default");
        meta.put("namespace", ns);
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Meta.time(clock.instant()));
        try {
            serviceAccounts.create(sa, false);
        } catch (RuntimeException e) {
            if (serviceAccounts.get(ns, "default") == null) throw e; // else: created concurrently
        }
    }

    @Override
    public void close() {
        if (watch != null) watch.close();
        worker.shutdownNow();
    }
}
