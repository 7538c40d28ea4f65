package dev.strongroom.scan.engine;

import dev.strongroom.scan.rules.Profile;
import dev.strongroom.scan.rules.ScanOptions;
import dev.strongroom.scan.rules.Severity;
import java.util.Map;
import java.util.Set;

/**
 * Everything a config file (or the command line) can set. Command-line flags override the file.
 *
 * @param enabledOnly       if not empty, the only rule IDs to run (adopt the scanner a few rules at a time)
 * @param disabled          rule IDs not to run
 * @param severityOverrides per-rule severity replacing the catalogue's
 * @param failOn            threshold for exit code 1 (null = none)
 */
public record ScanConfig(Profile profile, Severity failOn, Set<String> enabledOnly, Set<String> disabled, Map<String, Severity> severityOverrides,
                         ScanOptions options) {

    public static ScanConfig defaults() {
        return new ScanConfig(Profile.DEFAULT, Severity.HIGH, Set.of(), Set.of(), Map.of(), ScanOptions.defaults());
    }
}
