package dev.strongroom.scan;

import dev.strongroom.scan.engine.InputLoader;
import dev.strongroom.scan.engine.ScanConfig;
import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.engine.Scanner;
import dev.strongroom.scan.input.Source;
import dev.strongroom.scan.rules.Finding;
import dev.strongroom.scan.rules.Profile;
import dev.strongroom.scan.rules.ScanOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers that scan YAML text the way the command does, without the command line around it. */
public final class TestScans {
    private TestScans() {}

    public static ScanResult scan(String yaml) {
        return scan(yaml, ScanConfig.defaults());
    }

    public static ScanResult scan(String yaml, ScanConfig config) {
        List<Source> sources = List.of(new Source("test.yaml", yaml, true));
        return new Scanner(config).scan(new InputLoader().load(sources, false, List.of()));
    }

    public static ScanResult scan(String yaml, Profile profile) {
        ScanConfig d = ScanConfig.defaults();
        return scan(yaml, new ScanConfig(profile, d.failOn(), d.enabledOnly(), d.disabled(), d.severityOverrides(), d.options()));
    }

    public static ScanConfig withOptions(ScanOptions options, Profile profile) {
        ScanConfig d = ScanConfig.defaults();
        return new ScanConfig(profile, d.failOn(), d.enabledOnly(), d.disabled(), d.severityOverrides(), options);
    }

    /** The findings of one rule. */
    public static List<Finding> of(ScanResult result, String ruleId) {
        return result.findings().stream().filter(f -> f.rule().id().equals(ruleId)).toList();
    }

    /** Rule IDs of all active findings, in order (duplicates kept). */
    public static List<String> ids(ScanResult result) {
        return result.findings().stream().filter(f -> !f.suppressed()).map(f -> f.rule().id()).toList();
    }

    public static String resource(String path) {
        try (InputStream in = TestScans.class.getResourceAsStream("/" + path)) {
            if (in == null) throw new IllegalArgumentException("missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
