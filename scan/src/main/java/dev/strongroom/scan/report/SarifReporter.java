package dev.strongroom.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps): one run, every rule that
 * ran as a reportingDescriptor, every finding as a result with the exact start line and column.
 * Suppressed findings are emitted with an {@code inSource} suppression, as the spec intends.
 */
final class SarifReporter implements Reporter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    @Override
    public void write(ScanResult result, ReportOptions options, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "strongroom-scan");
        driver.put("semanticVersion", Version.get());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (Rule r : result.rules()) {
            ruleIndex.put(r.info().id(), rules.size());
            descriptor(rules.addObject(), r.info());
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : result.findings()) {
            ObjectNode res = results.addObject();
            res.put("ruleId", f.rule().id());
            Integer index = ruleIndex.get(f.rule().id());
            if (index != null) res.put("ruleIndex", index);
            res.put("level", level(f.severity()));
            res.putObject("message").put("text", f.message());
            ObjectNode location = res.putArray("locations").addObject();
            ObjectNode physical = location.putObject("physicalLocation");
            ObjectNode artifact = physical.putObject("artifactLocation");
            artifact.put("uri", uri(f.object().origin()));
            if (isRelativeFile(f.object().origin())) {
                artifact.put("uriBaseId", "%SRCROOT%");
            }
            ObjectNode region = physical.putObject("region");
            region.put("startLine", f.position().line());
            region.put("startColumn", f.position().column());
            if (!f.object().kind().equals("File")) {
                ObjectNode logical = location.putArray("logicalLocations").addObject();
                logical.put("fullyQualifiedName", f.object().displayName() + (f.object().base() + f.pointer()).replace('/', '.'));
                logical.put("kind", "object");
            }
            res.putObject("partialFingerprints").put("strongroomFinding/v1", fingerprint(f));
            if (f.suppressed()) {
                ObjectNode s = res.putArray("suppressions").addObject();
                s.put("kind", "inSource");
                s.put("justification", f.suppression());
            }
            res.putObject("properties").put("severity", f.severity().label());
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        if (!result.warnings().isEmpty()) {
            ArrayNode notes = invocation.putArray("toolExecutionNotifications");
            for (String w : result.warnings()) {
                ObjectNode n = notes.addObject();
                n.putObject("message").put("text", w);
                n.put("level", "warning");
            }
        }
        // YAML positions come from SnakeYAML, which counts columns in code points.
        run.put("columnKind", "unicodeCodePoints");
        run.putObject("originalUriBaseIds").putObject("%SRCROOT%").put("uri", Path.of("").toAbsolutePath().toUri().toString());
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    private static void descriptor(ObjectNode d, RuleInfo info) {
        d.put("id", info.id());
        d.put("name", info.id().replace("-", ""));
        d.putObject("shortDescription").put("text", info.title());
        d.putObject("fullDescription").put("text", info.why().replace('\n', ' '));
        String text = info.why().replace('\n', ' ') + "\n\nFix:\n" + info.fix() + "\n\nReferences: " + String.join("; ", info.references());
        String markdown = "**Why:** " + info.why().replace('\n', ' ') + "\n\n**Fix:**\n\n```yaml\n" + info.fix() + "\n```\n\n**References:** "
                + String.join("; ", info.references());
        d.putObject("help").put("text", text).put("markdown", markdown);
        d.putObject("defaultConfiguration").put("level", level(info.severity()));
        ObjectNode props = d.putObject("properties");
        props.putArray("tags").add("security").add(info.family().toLowerCase(Locale.ROOT));
        // GitHub code scanning ranks alerts by this CVSS-like number.
        props.put("security-severity", switch (info.severity()) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "1.0";
        });
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    private static boolean isRelativeFile(String origin) {
        return !origin.startsWith("/") && !origin.startsWith("cluster:") && !origin.equals("<stdin>");
    }

    /** A relative path stays relative (to %SRCROOT%); absolute paths become file: URIs. */
    static String uri(String origin) {
        if (origin.equals("<stdin>")) return "stdin";
        if (origin.startsWith("cluster:")) {
            try {
                return new URI("cluster", origin.substring("cluster:".length()), null).toASCIIString();
            } catch (URISyntaxException e) {
                return "cluster";
            }
        }
        Path p = Path.of(origin);
        if (p.isAbsolute()) return p.toUri().toString();
        try {
            return new URI(null, null, origin.replace('\\', '/'), null).toASCIIString();
        } catch (URISyntaxException e) {
            return origin;
        }
    }

    /** Stable across runs and line shifts: rule, object identity and JSON Pointer, hashed. */
    private static String fingerprint(Finding f) {
        String key = f.rule().id() + "|" + f.object().origin() + "|" + f.object().displayName() + "|" + f.object().base() + f.pointer()
                + "|" + f.message();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
