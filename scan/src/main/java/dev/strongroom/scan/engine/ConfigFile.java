package dev.strongroom.scan.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strongroom.scan.rules.Profile;
import dev.strongroom.scan.rules.RuleCatalog;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the scanner's config file ({@code .strongroom-scan.yaml}):
 *
 * <pre>
 * failOn: high                    # info|low|medium|high|critical|none
 * profile: restricted             # baseline|restricted (default: Strongroom's pod rules)
 * rules:
 *   enable: [SR-SEC-001, SR-SEC-002]   # if given, only these rules run
 *   disable: [SR-IMG-002]
 *   severity: {SR-IMG-001: high}
 * options:
 *   allowedRegistries: [registry.example.com, ghcr.io/example-org]
 *   excludedNamespaces: [kube-system, kube-public, kube-node-lease]
 *   dangerousCapabilities: [SYS_ADMIN, NET_ADMIN]
 *   entropyThreshold: 3.5
 * </pre>
 *
 * Unknown keys and unknown rule IDs are errors, like kube-apiserver's strict config decoding: a
 * typo must not silently switch a check off.
 */
public final class ConfigFile {
    /** Thrown for a config file that cannot be used; the message says what to fix. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFile() {}

    public static ScanConfig load(Path path) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + path + ": " + e.getMessage());
        }
        try {
            return parse(root == null ? YAML.createObjectNode() : root);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config " + path + ": " + e.getMessage());
        }
    }

    static ScanConfig parse(JsonNode root) {
        allowOnly(root, "", "failOn", "profile", "rules", "options", "apiVersion", "kind");
        ScanConfig d = ScanConfig.defaults();
        Severity failOn = d.failOn();
        if (root.has("failOn")) failOn = root.path("failOn").asText().equalsIgnoreCase("none") ? null : Severity.parse(root.path("failOn").asText());
        Profile profile = root.has("profile") ? Profile.parse(root.path("profile").asText()) : d.profile();

        JsonNode rules = root.path("rules");
        allowOnly(rules, "rules.", "enable", "disable", "severity");
        Set<String> known = RuleCatalog.all().keySet();
        Set<String> enabled = new LinkedHashSet<>();
        for (JsonNode id : rules.path("enable")) enabled.add(checkId(id.asText(), known));
        Set<String> disabled = new LinkedHashSet<>();
        for (JsonNode id : rules.path("disable")) disabled.add(checkId(id.asText(), known));
        Map<String, Severity> severities = new HashMap<>();
        rules.path("severity").properties().forEach(e -> severities.put(checkId(e.getKey(), known), Severity.parse(e.getValue().asText())));

        JsonNode o = root.path("options");
        allowOnly(o, "options.", "allowedRegistries", "excludedNamespaces", "dangerousCapabilities", "entropyThreshold");
        ScanOptions def = d.options();
        ScanOptions options = new ScanOptions(
                o.has("allowedRegistries") ? strings(o.path("allowedRegistries")) : def.allowedRegistries(),
                o.has("excludedNamespaces") ? Set.copyOf(strings(o.path("excludedNamespaces"))) : def.excludedNamespaces(),
                o.has("dangerousCapabilities") ? Set.copyOf(strings(o.path("dangerousCapabilities"))) : def.dangerousCapabilities(),
                o.has("entropyThreshold") ? o.path("entropyThreshold").asDouble() : def.entropyThreshold());
        return new ScanConfig(profile, failOn, Set.copyOf(enabled), Set.copyOf(disabled), Map.copyOf(severities), options);
    }

    private static void allowOnly(JsonNode node, String prefix, String... keys) {
        if (node.isMissingNode() || node.isNull()) return;
        if (!node.isObject()) throw new IllegalArgumentException((prefix.isEmpty() ? "the file" : prefix) + " must be a mapping");
        Set<String> allowed = Set.of(keys);
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) throw new IllegalArgumentException("unknown key '" + prefix + k + "' (allowed: " + String.join(", ", keys) + ")");
        });
    }

    private static String checkId(String id, Set<String> known) {
        if (!known.contains(id)) throw new IllegalArgumentException("unknown rule ID '" + id + "' (see strongroom scan --list-rules)");
        return id;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }
}
