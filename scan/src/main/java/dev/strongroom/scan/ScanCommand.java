package dev.strongroom.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.scan.cluster.ClusterReader;
import dev.strongroom.scan.engine.ConfigFile;
import dev.strongroom.scan.engine.InputLoader;
import dev.strongroom.scan.engine.LoadedInputs;
import dev.strongroom.scan.engine.ScanConfig;
import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.engine.Scanner;
import dev.strongroom.scan.input.InputCollector;
import dev.strongroom.scan.input.ParseProblem;
import dev.strongroom.scan.input.Source;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.report.Format;
import dev.strongroom.scan.report.ReportOptions;
import dev.strongroom.scan.report.Version;
import dev.strongroom.scan.rules.Profile;
import dev.strongroom.scan.rules.RuleCatalog;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strongroom scan}: checks manifests, cluster configuration files and live clusters. */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = ScanCommand.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "%n",
        header = "Check manifests, cluster configuration and live clusters for security problems.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Scans Kubernetes manifests (files, directories, or - for standard input; multi-document YAML, "
                + "List kinds and JSON), EncryptionConfiguration and audit Policy files, kube-apiserver static-pod "
                + "manifests and flag files, or the objects of a live cluster (--cluster).",
            "",
            "Rules cover committed secrets and credentials (gitleaks-style detection), RBAC (resolved through "
                + "bindings and aggregated ClusterRoles), NetworkPolicy default-deny per direction, quotas and limits, "
                + "pod security for every workload kind, images, encryption at rest, audit policy (evaluated in order, "
                + "as kube-apiserver does) and kube-apiserver flags. Run --list-rules for the catalogue; "
                + "docs/scanner.md explains each rule with a failing and a fixed example.",
            "",
            "Silence a finding on one object with annotations (suppressed findings stay in the report, marked, "
                + "and never fail the scan):",
            "  strongroom.dev/ignore: SR-POD-004,SR-IMG-002",
            "  strongroom.dev/ignore-reason: \"vendor image writes to /var/cache\""},
        parameterListHeading = "%nInputs:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no finding at or above --fail-on",
            "1:at least one finding at or above --fail-on (a document that cannot be parsed counts, as SR-INPUT-001)",
            "2:usage error, unreadable input or config, or the cluster could not be reached"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # a directory of manifests (recursive)",
            "  strongroom scan k8s/",
            "  # a rendered chart on standard input",
            "  helm template ./chart | strongroom scan -",
            "  # SARIF for code scanning in CI",
            "  strongroom scan --format sarif -o results.sarif k8s/",
            "  # control-plane configuration files",
            "  strongroom scan /etc/kubernetes/enc.yaml /etc/kubernetes/audit-policy.yaml",
            "  strongroom scan /etc/kubernetes/manifests/kube-apiserver.yaml",
            "  # live objects through the current kubeconfig context",
            "  strongroom scan --cluster",
            "  # exactly the restricted Pod Security Standard, failing on medium and above",
            "  strongroom scan --profile restricted --fail-on medium k8s/",
            "",
            "Config file (--config FILE, or ./.strongroom-scan.yaml when present):",
            "  failOn: high",
            "  profile: restricted",
            "  rules:",
            "    disable: [SR-IMG-002]",
            "    severity: {SR-IMG-001: high}",
            "  options:",
            "    allowedRegistries: [registry.example.com, ghcr.io/example-org]",
            "    excludedNamespaces: [kube-system, kube-public, kube-node-lease]"})
public final class ScanCommand implements Callable<Integer> {

    /** How --cluster connects; tests substitute a client for a mock API server. */
    @FunctionalInterface
    public interface ClientFactory extends Function<ScanCommand, KubernetesClient> {}

    static final String DEFAULT_CONFIG = ".strongroom-scan.yaml";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories to scan (directories recursively: *.yaml, *.yml, *.json); - reads standard input.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--cluster", description = "Scan the live objects of the cluster in the current kubeconfig context (Secrets are never read).")
    boolean cluster;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use with --cluster.")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file to use with --cluster (default: $KUBECONFIG or ~/.kube/config).")
    File kubeconfig;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: table, json, sarif (2.1.0) or junit. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding at or above SEVERITY exists: info, low, medium, high, critical or none. Default: high.")
    String failOn;

    @Option(names = "--profile", paramLabel = "LEVEL",
            description = "Judge pods by exactly the Pod Security Standards LEVEL (baseline or restricted) instead of Strongroom's pod rules.")
    String profile;

    @Option(names = "--config", paramLabel = "FILE", description = "Scanner config file (default: ./" + DEFAULT_CONFIG + " if it exists).")
    Path config;

    @Option(names = "--enable", paramLabel = "RULE-ID", split = ",",
            description = "Run only these rules (repeatable, comma-separated); default: all.")
    List<String> enable = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "RULE-ID", split = ",", description = "Do not run these rules (repeatable, comma-separated).")
    List<String> disable = new ArrayList<>();

    @Option(names = "--allowed-registry", paramLabel = "REGISTRY", split = ",",
            description = "Allow images only from these registries or registry/path prefixes (enables SR-IMG-003).")
    List<String> allowedRegistries = new ArrayList<>();

    @Option(names = "--list-rules", description = "Print the rule catalogue (IDs, severities, titles) and exit.")
    boolean listRules;

    @Option(names = "--brief", description = "Table format: leave out why and fix.")
    boolean brief;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the table: auto (only on a terminal, and not if NO_COLOR is set), always or never.")
    String color;

    @Option(names = "--stats", description = "Print objects per second and peak heap to standard error.")
    boolean stats;

    private final InputStream stdin;
    private final ClientFactory clientFactory;

    public ScanCommand() {
        this(System.in, ScanCommand::kubeconfigClient);
    }

    public ScanCommand(InputStream stdin, ClientFactory clientFactory) {
        this.stdin = stdin;
        this.clientFactory = clientFactory;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try {
            Format fmt = parseFormat(format);
            if (listRules) {
                printRules(fmt, spec.commandLine().getOut());
                return 0;
            }
            if (paths.isEmpty() && !cluster) {
                throw new UsageError("nothing to scan: give files or directories, - for standard input, or --cluster");
            }
            ScanConfig cfg = effectiveConfig();
            List<String> warnings = new ArrayList<>();
            List<Source> sources = new ArrayList<>(new InputCollector(stdin).collect(paths));
            int fileSources = sources.size();
            if (cluster) sources.addAll(readCluster(warnings));
            InputLoader loader = new InputLoader();
            LoadedInputs inputs = loadAll(loader, sources, fileSources, warnings);
            long loaded = System.nanoTime();
            ScanResult result = new Scanner(cfg).scan(inputs);
            long scanned = System.nanoTime();

            ReportOptions ro = new ReportOptions(cfg.failOn(), useColor(), brief);
            if (output != null) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
                    fmt.reporter().write(result, ro, w);
                }
            } else {
                fmt.reporter().write(result, ro, spec.commandLine().getOut());
            }
            if (stats) printStats(err, result, start, loaded, scanned, System.nanoTime());
            return cfg.failOn() != null && result.active(cfg.failOn()) > 0 ? 1 : 0;
        } catch (UsageError | InputCollector.InputException | ConfigFile.ConfigException | ClusterReader.ClusterException
                 | IllegalArgumentException | IOException e) {
            err.println("strongroom scan: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    /** Loads file sources as files and cluster sources as live objects (SR-SEC-001 only judges files). */
    private static LoadedInputs loadAll(InputLoader loader, List<Source> sources, int fileSources, List<String> warnings) {
        LoadedInputs files = loader.load(sources.subList(0, fileSources), false, List.of());
        LoadedInputs live = loader.load(sources.subList(fileSources, sources.size()), true, warnings);
        List<KubeObject> objects = new ArrayList<>(files.objects());
        objects.addAll(live.objects());
        List<ParseProblem> problems = new ArrayList<>(files.problems());
        problems.addAll(live.problems());
        return new LoadedInputs(objects, problems, sources.size(), files.skippedDocuments() + live.skippedDocuments(), warnings);
    }

    private List<Source> readCluster(List<String> warnings) throws ClusterReader.ClusterException {
        try (KubernetesClient client = clientFactory.apply(this)) {
            ClusterReader reader = new ClusterReader(client);
            List<Source> live = reader.read();
            warnings.addAll(reader.warnings());
            return live;
        } catch (KubernetesClientException e) {
            throw new ClusterReader.ClusterException("cannot connect to the cluster: " + e.getMessage(), e);
        }
    }

    private static KubernetesClient kubeconfigClient(ScanCommand cmd) {
        Config config;
        if (cmd.kubeconfig != null) {
            config = Config.fromKubeconfig(cmd.context, cmd.kubeconfig);
        } else {
            config = Config.autoConfigure(cmd.context);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private ScanConfig effectiveConfig() throws ConfigFile.ConfigException {
        ScanConfig base = ScanConfig.defaults();
        if (config != null) {
            base = ConfigFile.load(config);
        } else if (Files.isRegularFile(Path.of(DEFAULT_CONFIG))) {
            base = ConfigFile.load(Path.of(DEFAULT_CONFIG));
        }
        Profile p = profile == null ? base.profile() : Profile.parse(profile);
        Severity threshold = base.failOn();
        if (failOn != null) threshold = failOn.equalsIgnoreCase("none") ? null : Severity.parse(failOn);
        Set<String> enabled = new HashSet<>(base.enabledOnly());
        if (!enable.isEmpty()) enabled = ruleIds(enable);
        Set<String> disabled = new HashSet<>(base.disabled());
        disabled.addAll(ruleIds(disable));
        ScanOptions o = base.options();
        if (!allowedRegistries.isEmpty()) {
            o = new ScanOptions(List.copyOf(allowedRegistries), o.excludedNamespaces(), o.dangerousCapabilities(), o.entropyThreshold());
        }
        return new ScanConfig(p, threshold, Set.copyOf(enabled), Set.copyOf(disabled), base.severityOverrides(), o);
    }

    private static Set<String> ruleIds(List<String> ids) {
        Set<String> out = new HashSet<>();
        for (String id : ids) {
            if (!RuleCatalog.all().containsKey(id.strip())) throw new IllegalArgumentException("unknown rule ID '" + id + "' (see --list-rules)");
            out.add(id.strip());
        }
        return out;
    }

    private static Format parseFormat(String f) throws UsageError {
        try {
            return Format.valueOf(f.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageError("unknown format '" + f + "' (expected table, json, sarif or junit)");
        }
    }

    private boolean useColor() {
        return switch (color.toLowerCase(Locale.ROOT)) {
            case "always" -> true;
            case "never" -> false;
            default -> output == null && System.getenv("NO_COLOR") == null && isTerminal();
        };
    }

    /** True when standard output is a terminal (Console.isTerminal() on JDK 22+, else console presence). */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only when attached to a terminal
        }
    }

    private static void printRules(Format fmt, PrintWriter out) {
        if (fmt == Format.JSON) {
            ArrayNode list = new ObjectMapper().createArrayNode();
            for (RuleInfo r : RuleCatalog.all().values()) {
                ObjectNode n = list.addObject();
                n.put("id", r.id()).put("family", r.family()).put("severity", r.severity().label()).put("title", r.title());
                r.references().forEach(n.putArray("references")::add);
            }
            out.println(list.toPrettyString());
        } else {
            String family = "";
            for (RuleInfo r : RuleCatalog.all().values()) {
                if (!r.family().equals(family)) {
                    family = r.family();
                    out.println("\n" + family);
                }
                out.printf(Locale.ROOT, "  %-28s %-9s %s%n", r.id(), r.severity().label(), r.title());
            }
            out.println("\nPSS-* rules run instead of SR-POD-* with --profile baseline|restricted. Details: docs/scanner.md");
        }
        out.flush();
    }

    private static void printStats(PrintWriter err, ScanResult result, long start, long loaded, long scanned, long end) {
        long nanos = end - start;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peakHeap += pool.getPeakUsage().getUsed();
        }
        double seconds = nanos / 1e9;
        err.printf(Locale.ROOT, "scanned %d objects from %d sources in %.2f s: %.0f objects/s, peak heap %.1f MiB, %d findings%n",
                result.objects().size(), result.sources(), seconds, result.objects().size() / seconds, peakHeap / 1048576.0,
                result.findings().size());
        err.printf(Locale.ROOT, "  read+parse %.2f s, rules %.2f s, report %.2f s%n", (loaded - start) / 1e9, (scanned - loaded) / 1e9,
                (end - scanned) / 1e9);
        err.flush();
    }

    /** A command line that cannot run; reported like picocli's own usage errors (exit 2). */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"strongroom scan " + Version.get()};
        }
    }

    /** For standalone use and the benchmark: {@code java dev.strongroom.scan.ScanCommand ...}. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ScanCommand());
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }
}
