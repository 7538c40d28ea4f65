package dev.strongroom.scan.rules;

import java.util.List;
import java.util.Set;

/**
 * Settings rules read; the defaults are what {@code strongroom scan} uses without a config file.
 *
 * @param allowedRegistries     registries (or registry/path prefixes) images may come from; empty = not checked
 * @param excludedNamespaces    namespaces the namespace-level rules skip (control-plane namespaces by default)
 * @param dangerousCapabilities capabilities SR-POD-006 reports when added
 * @param entropyThreshold      minimum Shannon entropy (bits per character) of a generic secret value
 */
public record ScanOptions(List<String> allowedRegistries, Set<String> excludedNamespaces,
                          Set<String> dangerousCapabilities, double entropyThreshold) {

    public static final Set<String> DEFAULT_EXCLUDED_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    /** Capabilities that let a container break out or take over the node or its network. */
    public static final Set<String> DEFAULT_DANGEROUS_CAPABILITIES = Set.of(
            "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME",
            "DAC_READ_SEARCH", "DAC_OVERRIDE", "BPF", "PERFMON", "NET_RAW", "MAC_ADMIN", "MAC_OVERRIDE",
            "SETFCAP", "SYSLOG", "LINUX_IMMUTABLE", "CHECKPOINT_RESTORE");

    public static ScanOptions defaults() {
        return new ScanOptions(List.of(), DEFAULT_EXCLUDED_NAMESPACES, DEFAULT_DANGEROUS_CAPABILITIES, 3.5);
    }
}
