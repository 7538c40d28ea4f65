package dev.strongroom.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.crypto.EnvelopeTransformer;
import dev.strongroom.crypto.KeyProvider;
import dev.strongroom.crypto.LocalKeyProvider;
import dev.strongroom.crypto.ValueTransformer;
import dev.strongroom.server.audit.AuditLog;
import dev.strongroom.server.authn.Authentication;
import dev.strongroom.server.authz.rbac.BootstrapPolicy;
import dev.strongroom.server.authz.rbac.ClusterRoleAggregator;
import dev.strongroom.server.authz.rbac.EscalationCheck;
import dev.strongroom.server.authz.rbac.PolicyCache;
import dev.strongroom.server.authz.rbac.RbacAuthorizer;
import dev.strongroom.server.registry.reviews.AccessReviews;
import dev.strongroom.server.handler.ApiHandler;
import dev.strongroom.server.handler.Discovery;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.namespaces.NamespaceLifecycle;
import dev.strongroom.server.registry.namespaces.NamespaceStrategy;
import dev.strongroom.server.registry.Admission;
import dev.strongroom.server.registry.Registry;
import dev.strongroom.server.registry.Resources;
import dev.strongroom.server.registry.serviceaccounts.DefaultServiceAccounts;
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
    private final List<AutoCloseable> controllers;
    private final ScheduledExecutorService maintenance;
    private final String url;

    private StrongroomServer(DataDirectory dataDir, RevisionedStore store, KeyProvider keyProvider, HttpTransport transport,
                             List<AutoCloseable> controllers, ScheduledExecutorService maintenance, String url) {
        this.dataDir = dataDir;
        this.store = store;
        this.keyProvider = keyProvider;
        this.transport = transport;
        this.controllers = controllers;
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

        Registry registry = new Registry(store, transformer, Resources.STORED);
        ResourceStore namespaces = registry.store(Resources.NAMESPACES);
        NamespaceLifecycle lifecycle = new NamespaceLifecycle(namespaces, registry::namespacedStores, clock);
        PolicyCache policy = new PolicyCache(registry);
        RbacAuthorizer authorizer = new RbacAuthorizer(policy, store);
        Admission admission = Admission.chain(List.of(lifecycle, new EscalationCheck(authorizer, policy)));
        for (ResourceDef def : Resources.STORED) {
            ResourceHandler h = new ResourceHandler(registry.store(def), admission, WatchStream.FACTORY, clock);
            if (def == Resources.NAMESPACES) h.withDeleteHook(lifecycle);
            registry.serve(h);
        }

        bootstrapNamespaces(namespaces, clock);
        lifecycle.resumePending();
        lifecycle.start();
        BootstrapPolicy.ensure(registry.store(Resources.CLUSTER_ROLES), registry.store(Resources.CLUSTER_ROLE_BINDINGS), clock);
        policy.start();
        ClusterRoleAggregator aggregator = new ClusterRoleAggregator(registry.store(Resources.CLUSTER_ROLES), policy);
        policy.onChange(aggregator::trigger);
        aggregator.runOnce();
        AccessReviews.endpoints(authorizer, policy).forEach(registry::serve);
        DefaultServiceAccounts defaultServiceAccounts = new DefaultServiceAccounts(namespaces, registry.store(Resources.SERVICE_ACCOUNTS), clock);
        defaultServiceAccounts.start();

        DataDirectory.AdminToken admin = dir.ensureAdminToken();
        Authentication authn = Authentication.build(o, dir, registry, clock, admin.sha256Hex());
        authn.endpoints().forEach(registry::serve);

        Discovery discovery = new Discovery(registry.endpointList(), advertise + ":" + o.securePort());
        AuditLog audit = AuditLog.start(o.audit(), dir);
        ApiHandler handler = new ApiHandler(authn.chain(), authorizer, registry.endpoints(), discovery, versionInfo(),
                authn.publicPaths(), audit);

        HttpTransport transport;
        try {
            transport = HttpTransport.start(o.bindAddress(), o.securePort(), new HttpTransport.TlsFiles(certFile, keyFile, o.clientCaFile()), handler);
        } catch (RuntimeException e) {
            audit.close();
            lifecycle.close();
            defaultServiceAccounts.close();
            aggregator.close();
            policy.close();
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
        // Written after listening, so it names the real port even when --secure-port 0 picked one.
        if (admin.newToken() != null) dir.writeAdminKubeconfig(url, caPem, admin.newToken());
        log.info("Strongroom serving on https://{}:{} (data in {})", o.bindAddress(), transport.port(), dir.root());
        return new StrongroomServer(dir, store, keys, transport, List.of(lifecycle, defaultServiceAccounts, aggregator, policy, audit), maintenance, url);
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

    /** The revisioned store (benchmarks and tests compare against it directly). */
    public RevisionedStore store() { return store; }

    @Override
    public void close() {
        transport.close();
        maintenance.shutdownNow();
        for (AutoCloseable c : controllers) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("error stopping {}: {}", c, e.toString());
            }
        }
        store.close();
        keyProvider.close();
    }
}
