package dev.strongroom.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.crypto.EnvelopeTransformer;
import dev.strongroom.crypto.KeyProvider;
import dev.strongroom.crypto.LocalKeyProvider;
import dev.strongroom.crypto.ValueTransformer;
import dev.strongroom.server.authn.AuthenticatorChain;
import dev.strongroom.server.authn.TokenAuthenticator;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.BootstrapAuthorizer;
import dev.strongroom.server.handler.ApiHandler;
import dev.strongroom.server.handler.Discovery;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.registry.ManagedFieldsTracker;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.Patches;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.events.EventStrategy;
import dev.strongroom.server.registry.namespaces.NamespaceLifecycle;
import dev.strongroom.server.registry.namespaces.NamespaceStrategy;
import dev.strongroom.server.registry.secrets.SecretStrategy;
import dev.strongroom.server.transport.HttpTransport;
import dev.strongroom.server.watch.WatchStream;
import dev.strongroom.store.RevisionedStore;
import dev.strongroom.store.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the request path of DESIGN.md from its parts and runs it. */
public final class StrongroomServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StrongroomServer.class);
    /** The Kubernetes version Strongroom speaks; the kubectl dispatcher picks its client by this minor. */
    public static final String KUBERNETES_MAJOR = "1";
    public static final String KUBERNETES_MINOR = "33";
    static final long COMPACTION_INTERVAL_SECONDS = 300;

    private final DataDirectory dataDir;
    private final RevisionedStore store;
    private final KeyProvider keyProvider;
    private final HttpTransport transport;
    private final NamespaceLifecycle namespaceLifecycle;
    private final ScheduledExecutorService maintenance;
    private final String url;

    private StrongroomServer(DataDirectory dataDir, RevisionedStore store, KeyProvider keyProvider, HttpTransport transport,
                             NamespaceLifecycle lifecycle, ScheduledExecutorService maintenance, String url) {
        this.dataDir = dataDir;
        this.store = store;
        this.keyProvider = keyProvider;
        this.transport = transport;
        this.namespaceLifecycle = lifecycle;
        this.maintenance = maintenance;
        this.url = url;
    }

    public static StrongroomServer start(ServerOptions o) throws IOException {
        DataDirectory dir = new DataDirectory(o.dataDir());
        dir.ensureExists();
        String advertise = o.advertiseAddress() != null ? o.advertiseAddress()
                : (o.bindAddress().equals("0.0.0.0") || o.bindAddress().equals("::") ? "127.0.0.1" : o.bindAddress());

        java.nio.file.Path certFile, keyFile;
        String caPem;
        if (o.tlsCertFile() != null) {
            if (o.tlsPrivateKeyFile() == null) throw new IllegalArgumentException("--tls-cert-file needs --tls-private-key-file");
            certFile = o.tlsCertFile();
            keyFile = o.tlsPrivateKeyFile();
            caPem = Files.readString(certFile, StandardCharsets.UTF_8);
        } else {
            dir.ensureServingCertificate(List.of(advertise, o.bindAddress()));
            certFile = dir.servingCert();
            keyFile = dir.servingKey();
            caPem = Files.readString(dir.caCert(), StandardCharsets.UTF_8);
        }

        RevisionedStore store = SqliteStore.open(dir.database());
        KeyProvider keys = LocalKeyProvider.loadOrCreate(dir.keyFile());
        ValueTransformer transformer = new EnvelopeTransformer(keys);
        Clock clock = Clock.systemUTC();

        ResourceDef namespacesDef = new ResourceDef("", "v1", "Namespace", "namespaces", "namespace", false,
                List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("ns"), new NamespaceStrategy());
        ResourceDef secretsDef = new ResourceDef("", "v1", "Secret", "secrets", "secret", true,
                List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"), List.of(), new SecretStrategy());
        ResourceDef eventsDef = new ResourceDef("", "v1", "Event", "events", "event", true,
                List.of("get", "list", "watch"), List.of("ev"), new EventStrategy());

        ResourceStore namespaces = new ResourceStore(namespacesDef, store, transformer);
        ResourceStore secrets = new ResourceStore(secretsDef, store, transformer);
        ResourceStore events = new ResourceStore(eventsDef, store, transformer);
        List<ResourceStore> namespaced = List.of(secrets, events);
        NamespaceLifecycle lifecycle = new NamespaceLifecycle(namespaces, () -> namespaced, clock);

        ManagedFieldsTracker fieldManager = new ManagedFieldsTracker();
        Patches patches = new Patches();
        Map<String, ResourceHandler> handlers = new LinkedHashMap<>();
        for (ResourceStore rs : List.of(namespaces, secrets, events)) {
            ResourceHandler h = new ResourceHandler(rs, lifecycle, fieldManager, patches, WatchStream.FACTORY, clock);
            if (rs == namespaces) h.withDeleteHook(lifecycle);
            handlers.put(ApiHandler.resourceKey(rs.def().apiVersion(), rs.def().plural()), h);
        }

        bootstrapNamespaces(namespaces, clock);
        lifecycle.resumePending();

        String adminHash = dir.ensureAdminCredentials(serverUrl(advertise, o.securePort()), caPem);
        TokenAuthenticator.Builder tokens = TokenAuthenticator.builder()
                .addDigest(adminHash, new UserInfo("strongroom-admin", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED), Map.of()));
        if (o.tokenAuthFile() != null) tokens.addTokenFile(o.tokenAuthFile());
        AuthenticatorChain authn = new AuthenticatorChain(List.of(tokens.build()), o.anonymousAuth());

        List<ResourceDef> defs = new ArrayList<>();
        handlers.values().forEach(h -> defs.add(h.def()));
        Discovery discovery = new Discovery(defs, List.of(), advertise + ":" + o.securePort());
        ApiHandler handler = new ApiHandler(authn, new BootstrapAuthorizer(), handlers, discovery, versionInfo());

        HttpTransport transport;
        try {
            transport = HttpTransport.start(o.bindAddress(), o.securePort(), new HttpTransport.TlsFiles(certFile, keyFile, null), handler);
        } catch (RuntimeException e) {
            lifecycle.close();
            store.close();
            throw e;
        }
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "store-compaction");
            t.setDaemon(true);
            return t;
        });
        scheduleCompaction(store, maintenance);
        String url = serverUrl(advertise, transport.port());
        log.info("Strongroom serving on https://{}:{} (data in {})", o.bindAddress(), transport.port(), dir.root());
        return new StrongroomServer(dir, store, keys, transport, lifecycle, maintenance, url);
    }

    /** Like kube-apiserver: every five minutes, compact to the revision seen five minutes earlier. */
    private static void scheduleCompaction(RevisionedStore store, ScheduledExecutorService maintenance) {
        AtomicLong previous = new AtomicLong(store.currentRevision());
        maintenance.scheduleAtFixedRate(() -> {
            try {
                long target = previous.getAndSet(store.currentRevision());
                if (target > store.compactedRevision()) store.compact(target);
            } catch (RuntimeException e) {
                log.warn("compaction failed: {}", e.toString());
            }
        }, COMPACTION_INTERVAL_SECONDS, COMPACTION_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    private static void bootstrapNamespaces(ResourceStore namespaces, Clock clock) {
        for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            if (namespaces.get("", name) != null) continue;
            ObjectNode ns = Json.object();
            ns.put("kind", "Namespace");
            ns.put("apiVersion", "v1");
            ObjectNode meta = ns.putObject("metadata");
            meta.put("name", name);
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("creationTimestamp", Meta.time(clock.instant()));
            NamespaceStrategy s = (NamespaceStrategy) namespaces.def().strategy();
            s.normalize(ns);
            s.prepareForCreate(ns);
            try {
                namespaces.create(ns, false);
            } catch (RuntimeException e) {
                if (namespaces.get("", name) == null) throw e;
            }
        }
    }

    static ObjectNode versionInfo() {
        ObjectNode v = Json.object();
        v.put("major", KUBERNETES_MAJOR);
        v.put("minor", KUBERNETES_MINOR);
        v.put("gitVersion", "v" + KUBERNETES_MAJOR + "." + KUBERNETES_MINOR + ".0+strongroom");
        v.put("gitCommit", "");
        v.put("gitTreeState", "");
        v.put("buildDate", "");
        v.put("goVersion", "");
        v.put("compiler", "strongroom");
        v.put("platform", "linux/amd64");
        return v;
    }

    static String serverUrl(String host, int port) {
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public int port() { return transport.port(); }

    public String url() { return url; }

    public DataDirectory dataDirectory() { return dataDir; }

    @Override
    public void close() {
        transport.close();
        maintenance.shutdownNow();
        namespaceLifecycle.close();
        store.close();
        keyProvider.close();
    }
}
