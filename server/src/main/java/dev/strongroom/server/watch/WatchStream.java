package dev.strongroom.server.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.Rendering;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.selection.FieldSelector;
import dev.strongroom.server.registry.selection.LabelSelector;
import dev.strongroom.server.transport.ApiResponse;
import dev.strongroom.server.transport.MediaTypes;
import dev.strongroom.store.CompactedException;
import dev.strongroom.store.Watch;
import dev.strongroom.store.WatchEvent;
import dev.strongroom.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One watch request: newline-delimited JSON events ({@code ADDED}, {@code MODIFIED}, {@code DELETED},
 * {@code BOOKMARK}, {@code ERROR}) streamed from the store's watch, as kube-apiserver's watch handler writes them.
 * Selectors are evaluated on both the new and the previous state, so an object leaving the selection is reported
 * as DELETED (what the watch cache does). Each event is decrypted for this watcher only and not kept.
 */
public final class WatchStream implements ApiResponse.Source, WatchListener {
    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watch-timers");
        t.setDaemon(true);
        return t;
    });
    /** kube-apiserver's --min-request-timeout; a watch without timeoutSeconds lasts between it and twice it. */
    static final int MIN_REQUEST_TIMEOUT_SECONDS = 1800;
    static final long BOOKMARK_INTERVAL_SECONDS = 60;
    private static final int MAX_CONSECUTIVE_BACKLOGGED_WRITES = 10_000;

    /** Opens watches; the server wires the single instance. */
    public interface Factory {
        ApiResponse.Streaming open(ResourceStore store, String namespace, LabelSelector labels, FieldSelector fields,
                                   long afterRevision, boolean bookmarks, boolean sendInitialEvents, Integer timeoutSeconds,
                                   String tableVersion, Rendering.IncludeObject include);
    }

    public static final Factory FACTORY = (store, ns, labels, fields, after, bookmarks, initial, timeout, tv, include) ->
            new ApiResponse.Streaming(200, MediaTypes.JSON,
                    new WatchStream(store, ns, labels, fields, after, bookmarks, initial, timeout, tv, include), new LinkedHashMap<>());

    private final ResourceStore store;
    private final String namespace;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final long afterRevision;
    private final boolean bookmarks;
    private final boolean sendInitialEvents;
    private final Integer timeoutSeconds;
    private final String tableVersion;
    private final Rendering.IncludeObject include;
    private final boolean filtering;

    private ApiResponse.Sink sink;
    private Watch watch;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> bookmarkTimer;
    private boolean firstTable = true;
    private boolean closed;
    private int backlogged;

    private WatchStream(ResourceStore store, String namespace, LabelSelector labels, FieldSelector fields, long afterRevision,
                        boolean bookmarks, boolean sendInitialEvents, Integer timeoutSeconds, String tableVersion,
                        Rendering.IncludeObject include) {
        this.store = store;
        this.namespace = namespace;
        this.labels = labels;
        this.fields = fields;
        this.afterRevision = afterRevision;
        this.bookmarks = bookmarks;
        this.sendInitialEvents = sendInitialEvents;
        this.timeoutSeconds = timeoutSeconds;
        this.tableVersion = tableVersion;
        this.include = include;
        this.filtering = !labels.isEmpty() || !fields.isEmpty();
    }

    @Override
    public void start(ApiResponse.Sink sink) {
        this.sink = sink;
        sink.onClose(this::shutdown);
        long from = afterRevision;
        if (from < 0) {
            // "Get state and start at most recent": synthetic ADDED events for what exists now.
            ResourceStore.Page page = store.list(namespace, labels, fields, 0, null);
            for (ObjectNode o : page.items()) send("ADDED", o);
            from = page.revision();
            if (sendInitialEvents && bookmarks) sendBookmark(from, true);
        }
        try {
            Watch w = store.revisioned().watch(store.def().prefix(namespace), from, this);
            synchronized (this) {
                if (closed) { w.close(); return; }
                watch = w;
            }
        } catch (CompactedException e) {
            sendError(410, "Expired", "too old resource version: " + afterRevision + " (" + e.compacted() + ")");
            sink.end();
            return;
        }
        long seconds = timeoutSeconds != null && timeoutSeconds > 0 ? timeoutSeconds
                : MIN_REQUEST_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextInt(MIN_REQUEST_TIMEOUT_SECONDS);
        timeout = TIMERS.schedule(sink::end, seconds, TimeUnit.SECONDS);
        if (bookmarks) {
            bookmarkTimer = TIMERS.scheduleAtFixedRate(() -> {
                Watch w = watch;
                if (w != null) sendBookmark(w.progressRevision(), false);
            }, BOOKMARK_INTERVAL_SECONDS, BOOKMARK_INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
            try {
                deliver(e);
            } catch (RuntimeException ex) {
                log.error("watch: cannot deliver the event for {} at revision {}", e.kv().key(), e.revision(), ex);
            }
        }
    }

    private void deliver(WatchEvent e) {
        if (e.type() == WatchEvent.Type.DELETE) {
            if (e.prevKv() == null) return;
            ObjectNode prev = store.decode(e.prevKv());
            if (filtering && !store.matches(prev, labels, fields)) return;
            Meta.meta(prev).put("resourceVersion", Long.toString(e.revision()));
            send("DELETED", prev);
            return;
        }
        ObjectNode cur = store.decode(e.kv());
        if (!filtering) {
            send(e.prevKv() == null ? "ADDED" : "MODIFIED", cur);
            return;
        }
        boolean curMatch = store.matches(cur, labels, fields);
        boolean prevMatch = e.prevKv() != null && store.matches(store.decode(e.prevKv()), labels, fields);
        if (curMatch && prevMatch) send("MODIFIED", cur);
        else if (curMatch) send("ADDED", cur);
        else if (prevMatch) send("DELETED", cur);
    }

    @Override
    public void onClosed(String reason) {
        log.debug("watch closed by the store: {}", reason);
        if (sink != null) sink.end();
    }

    private synchronized void send(String type, ObjectNode obj) {
        if (closed) return;
        ObjectNode event = Json.object();
        event.put("type", type);
        if (tableVersion != null) {
            event.set("object", Rendering.table(store.def(), List.of(obj), tableVersion, include,
                    Meta.str(obj.get("metadata"), "resourceVersion"), null, null, firstTable));
            firstTable = false;
        } else {
            event.set("object", obj);
        }
        write(event);
    }

    private synchronized void sendBookmark(long revision, boolean initialEventsEnd) {
        if (closed) return;
        ObjectNode event = Json.object();
        event.put("type", "BOOKMARK");
        ObjectNode o = event.putObject("object");
        o.put("kind", store.def().kind());
        o.put("apiVersion", store.def().apiVersion());
        ObjectNode meta = o.putObject("metadata");
        meta.put("resourceVersion", Long.toString(revision));
        meta.putNull("creationTimestamp");
        if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        write(event);
    }

    private synchronized void sendError(int code, String reason, String message) {
        ObjectNode event = Json.object();
        event.put("type", "ERROR");
        ObjectNode s = event.putObject("object");
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        write(event);
    }

    private void write(ObjectNode event) {
        byte[] json = Json.bytes(event);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        if (sink.write(line)) {
            backlogged = 0;
        } else if (++backlogged > MAX_CONSECUTIVE_BACKLOGGED_WRITES) {
            // The client does not read: end the watch (it can resume from its last resourceVersion), as
            // kube-apiserver terminates watchers whose buffers fill up.
            log.warn("watch on {} ended: the client is not reading", store.def().plural());
            closed = true;
            sink.end();
        }
    }

    private void shutdown() {
        Watch w;
        synchronized (this) {
            closed = true;
            w = watch;
            watch = null;
        }
        if (w != null) w.close();
        if (timeout != null) timeout.cancel(false);
        if (bookmarkTimer != null) bookmarkTimer.cancel(false);
    }
}
