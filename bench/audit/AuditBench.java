package dev.strongroom.bench;

import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.StrongroomServer;
import dev.strongroom.server.audit.AuditOptions;
import dev.strongroom.server.audit.FileBackend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Issue 4's benchmark: what auditing every request at Metadata level costs in GET throughput.
 *
 * <p>Two Strongroom servers in this JVM, identical but for audit: one with audit off, one auditing every request at
 * Metadata (one ResponseComplete event per request, hash-chained, written to a real file on this disk by the log
 * backend, checkpoints signed every 10 s). Both hold the same secret; h2load GETs it over HTTP/2 with the load of
 * bench/run.sh's GET case. Runs alternate between the two so that outside noise hits both alike. The cost is
 * 1 - median(audited)/median(unaudited); the goal is below 15 %. The audited side's log is checked afterwards: as
 * many events as requests answered, none dropped (a log that silently dropped events would look cheap).
 *
 * <p>Lives beside the bench module (bench/audit/run.sh compiles it against it) and reuses its h2load driver.
 * Usage: {@code AuditBench [--runs N] [--seconds S]}.
 */
public final class AuditBench {
    static final double GOAL_COST = 0.15;
    static final String PATH = "/api/v1/namespaces/default/secrets/bench-audit";
    static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            rules:
            - level: Metadata
            """;

    public static void main(String[] args) throws Exception {
        int runs = 5, seconds = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: AuditBench [--runs N] [--seconds S]");
                    System.exit(2);
                }
            }
        }
        Path tmp = Files.createTempDirectory("strongroom-audit-bench-");
        int rc = 1;
        try {
            rc = run(tmp, runs, seconds) ? 0 : 1;
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(rc);
    }

    static boolean run(Path tmp, int runs, int seconds) throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        Path log = tmp.resolve("audit").resolve("audit.log");
        FileBackend backend = FileBackend.open(log, 1024L * 1024 * 1024, 0, 0, Duration.ofSeconds(10),
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), Clock.systemUTC());
        ServerOptions plain = ServerOptions.defaults(tmp.resolve("plain")).withPort(0).withAudit(AuditOptions.disabled());
        ServerOptions audited = ServerOptions.defaults(tmp.resolve("audited")).withPort(0)
                .withAudit(AuditOptions.defaults().withPolicyFile(policy).withLogPath("").withExtraBackends(List.of(backend)));
        System.out.printf(Locale.ROOT, "Strongroom audit benchmark: GET of one secret, HTTP/2 over TLS with h2load (-c %d -m %d, -t 1), loopback, %d cores.%n",
                ApiBench.GET_LOAD.connections(), ApiBench.GET_LOAD.streams(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "Two servers in one JVM, alike but for audit: off vs. every request at Metadata to a hash-chained log file (%s).%n", log);
        System.out.printf(Locale.ROOT, "%d runs of %d s per side after warm-ups, alternating; medians.%n%n", runs, seconds);
        try (StrongroomServer a = StrongroomServer.start(plain); StrongroomServer b = StrongroomServer.start(audited)) {
            String urlA = seed(a), urlB = seed(b);
            String authA = "authorization: Bearer " + ApiClient.tokenFrom(a.dataDirectory().adminKubeconfig());
            String authB = "authorization: Bearer " + ApiClient.tokenFrom(b.dataDirectory().adminKubeconfig());
            H2Load.Load loadA = ApiBench.GET_LOAD.withHeader(authA), loadB = ApiBench.GET_LOAD.withHeader(authB);
            long before = backend.written();
            H2Load.warmUp(urlA, loadA, 100_000, ApiBench.WARM_UP_MAX_SECONDS);
            H2Load.warmUp(urlB, loadB, 100_000, ApiBench.WARM_UP_MAX_SECONDS); // the audit path needs its JIT too
            long answeredB = 0;
            List<H2Load.Result> off = new ArrayList<>(), on = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                if (r % 2 == 1) off.add(check(H2Load.run(urlA, loadA, seconds, 0), "audit off"));
                H2Load.Result rb = check(H2Load.run(urlB, loadB, seconds, 0), "audit on");
                on.add(rb);
                if (r % 2 == 0) off.add(check(H2Load.run(urlA, loadA, seconds, 0), "audit off"));
                System.out.printf(Locale.ROOT, "   run %d: audit off %,10.1f req/s   audit on %,10.1f req/s   cost %5.1f%%%n",
                        r + 1, off.get(r).okRps(), on.get(r).okRps(), 100 * (1 - on.get(r).okRps() / off.get(r).okRps()));
            }
            for (H2Load.Result x : on) answeredB += x.done();
            double mOff = median(off, H2Load.Result::okRps), mOn = median(on, H2Load.Result::okRps);
            double cost = 1 - mOn / mOff;
            List<Double> paired = new ArrayList<>();
            for (int r = 0; r < runs; r++) paired.add(1 - on.get(r).okRps() / off.get(r).okRps());
            paired.sort(null);
            double cpuOff = median(off, H2Load.Result::cpuMicrosPerRequest), cpuOn = median(on, H2Load.Result::cpuMicrosPerRequest);
            b.close(); // flush the audited side's log before counting it
            long events = backend.written() - before;
            long lines = 0; // across the log and its rotated files
            try (Stream<Path> files = Files.list(log.getParent())) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                    try (Stream<String> s = Files.lines(f, StandardCharsets.UTF_8)) {
                        lines += s.count();
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "   audit off median %,10.1f req/s   server CPU %.1f µs/req%n", mOff, cpuOff);
            System.out.printf(Locale.ROOT, "   audit on  median %,10.1f req/s   server CPU %.1f µs/req (+%.1f µs)%n", mOn, cpuOn, cpuOn - cpuOff);
            System.out.printf(Locale.ROOT, "   audit log: %,d events written during the measured and warm-up runs (%,d lines in its files), %,d lost; %,d requests answered in the measured runs%n",
                    events, lines, backend.lost(), answeredB);
            boolean complete = backend.lost() == 0 && events >= answeredB;
            boolean met = cost < GOAL_COST && complete;
            System.out.printf(Locale.ROOT, "%nSUMMARY: Metadata audit of every GET costs %.1f%% of throughput (goal < %.0f%%): %s   [cross-check: median of paired costs %.1f%%]%s%n",
                    100 * cost, 100 * GOAL_COST, met ? "MET" : "MISSED", 100 * paired.get(paired.size() / 2),
                    complete ? "" : "  (EVENTS LOST: the measurement does not count)");
            return met;
        }
    }

    /** Creates the secret GETs read; returns the URL to read it. */
    static String seed(StrongroomServer s) throws Exception {
        var dir = s.dataDirectory();
        ApiClient api = new ApiClient(s.url(), dir.caCert(), dir.adminKubeconfig());
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"bench-audit\",\"labels\":{\"app\":\"bench\"}},"
                + "\"data\":{\"username\":\"YWRtaW4=\",\"password\":\"c2VjcmV0LXZhbHVlLWZvci10aGUtYmVuY2g=\"}}";
        ApiClient.Response r = api.post("/api/v1/namespaces/default/secrets", body.getBytes(StandardCharsets.UTF_8));
        if (r.status() != 201) throw new IllegalStateException("seeding answered " + r.status());
        return s.url() + PATH;
    }

    static H2Load.Result check(H2Load.Result r, String what) {
        if (!r.protocol().equals("h2")) throw new IllegalStateException(what + ": negotiated " + r.protocol() + ", not h2");
        if (r.done() == 0 || r.status4xx() + r.status5xx() > 1) throw new IllegalStateException(what + ": failed requests\n" + r.raw());
        return r;
    }

    static double median(List<H2Load.Result> rs, ToDoubleFunction<H2Load.Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
