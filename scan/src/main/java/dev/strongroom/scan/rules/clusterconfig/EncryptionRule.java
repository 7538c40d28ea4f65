package dev.strongroom.scan.rules.clusterconfig;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.Optional;

/**
 * SR-ENC-001..004: an EncryptionConfiguration that does not actually protect Secrets.
 * One class, four rule IDs, because all four read the same resolved entry; each ID has its own
 * instance so it can be disabled on its own.
 */
public final class EncryptionRule implements Rule {
    static final RuleInfo NOT_COVERED = rule("SR-ENC-001", "Cluster configuration")
            .title("EncryptionConfiguration does not cover secrets")
            .severity(Severity.CRITICAL)
            .refs("CIS Kubernetes Benchmark: ensure that the --encryption-provider-config argument is set as appropriate; ensure that encryption providers are appropriately configured",
                  "NSA-CISA Kubernetes Hardening Guide: encrypt Secrets at rest")
            .why("""
                 The API server only encrypts the resources an entry lists (secrets, `*.` or `*.*`); anything
                 else is written to etcd in plain text, readable from any etcd backup or disk snapshot.""")
            .fix("""
                 apiVersion: apiserver.config.k8s.io/v1
                 kind: EncryptionConfiguration
                 resources:
                   - resources: ["secrets"]
                     providers:
                       - kms:
                           apiVersion: v2
                           name: strongroom
                           endpoint: unix:///var/run/kms/strongroom.sock
                       - identity: {}   # only while existing data is rewritten""");
    static final RuleInfo IDENTITY_FIRST = rule("SR-ENC-002", "Cluster configuration")
            .title("identity is the first provider for secrets (new Secrets are written unencrypted)")
            .severity(Severity.CRITICAL)
            .refs("CIS Kubernetes Benchmark: ensure that encryption providers are appropriately configured", "Kubernetes docs: Encrypting Confidential Data at Rest")
            .why("""
                 The API server writes with the first provider only; the others are for reading old data. With
                 identity first, every Secret is stored in plain text, however many encrypting providers follow.
                 identity later in the list (to read data written before encryption was enabled) is fine.""")
            .fix("""
                 providers:
                   - aesgcm:          # or kms v2; the first provider is the one that writes
                       keys:
                         - name: key1
                           secret: <32 random bytes, base64>
                   - identity: {}""");
    static final RuleInfo AESCBC = rule("SR-ENC-003", "Cluster configuration")
            .title("Secrets are written with aescbc (unauthenticated encryption)")
            .severity(Severity.MEDIUM)
            .refs("Kubernetes docs: Encrypting Confidential Data at Rest (aescbc is not recommended)",
                  "CIS Kubernetes Benchmark: ensure that encryption providers are appropriately configured")
            .why("""
                 aescbc has no integrity protection and is vulnerable to padding-oracle attacks; the key also
                 lives in the same file on the control-plane node. Use KMS v2 (envelope encryption with an
                 external key) or at least aesgcm / secretbox.""")
            .fix("""
                 providers:
                   - kms:
                       apiVersion: v2
                       name: strongroom
                       endpoint: unix:///var/run/kms/strongroom.sock
                   - aescbc:          # keep only to read data written before the switch
                       keys:
                         - name: key1
                           secret: <existing key>""");
    static final RuleInfo KMS_V1 = rule("SR-ENC-004", "Cluster configuration")
            .title("KMS v1 provider for secrets (deprecated, disabled by default since Kubernetes 1.29)")
            .severity(Severity.MEDIUM)
            .refs("Kubernetes docs: Using a KMS provider for data encryption (KMS v1 is deprecated)",
                  "CIS Kubernetes Benchmark: ensure that encryption providers are appropriately configured")
            .why("""
                 KMS v1 makes one KMS call per write, has no key-rotation detection, and is off unless the
                 KMSv1 feature gate is turned on again: an API server upgrade can leave Secrets unreadable.""")
            .fix("""
                 providers:
                   - kms:
                       apiVersion: v2     # v1 is what an omitted apiVersion means
                       name: strongroom
                       endpoint: unix:///var/run/kms/strongroom.sock""");

    private enum Check { NOT_COVERED, IDENTITY_FIRST, AESCBC, KMS_V1 }

    private final RuleInfo info;
    private final Check check;

    private EncryptionRule(RuleInfo info, Check check) {
        this.info = info;
        this.check = check;
    }

    public static EncryptionRule notCovered() { return new EncryptionRule(NOT_COVERED, Check.NOT_COVERED); }
    public static EncryptionRule identityFirst() { return new EncryptionRule(IDENTITY_FIRST, Check.IDENTITY_FIRST); }
    public static EncryptionRule aescbc() { return new EncryptionRule(AESCBC, Check.AESCBC); }
    public static EncryptionRule kmsV1() { return new EncryptionRule(KMS_V1, Check.KMS_V1); }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject config : EncryptionConfigs.all(inventory)) {
            Optional<EncryptionConfigs.Entry> entry = EncryptionConfigs.secretsEntry(config);
            if (entry.isEmpty()) {
                if (check == Check.NOT_COVERED) {
                    findings.add(info, config, "/resources", "no resources entry lists secrets (nor `*.` or `*.*`): "
                            + "Secrets are stored in etcd in plain text");
                }
                continue;
            }
            EncryptionConfigs.Entry e = entry.get();
            JsonNode providers = e.providers();
            String first = providers.size() == 0 ? "none" : EncryptionConfigs.type(providers.get(0));
            String where = "resources[" + e.index() + "] (matched by '" + e.matchedBy() + "')";
            switch (check) {
                case IDENTITY_FIRST -> {
                    if (first.equals("identity")) {
                        findings.add(info, config, e.pointer() + "/providers/0", "the first provider of " + where
                                + " is identity, so Secrets are written in plain text");
                    }
                }
                case AESCBC -> {
                    if (first.equals("aescbc")) {
                        findings.add(info, config, e.pointer() + "/providers/0", "Secrets are written with aescbc by " + where);
                    }
                }
                case KMS_V1 -> {
                    for (int i = 0; i < providers.size(); i++) {
                        JsonNode kms = providers.get(i).path("kms");
                        if (kms.isObject() && kms.path("apiVersion").asText("v1").equals("v1")) {
                            findings.add(info, config, e.pointer() + "/providers/" + i, "provider #" + (i + 1) + " of " + where
                                    + " is KMS v1 (" + kms.path("name").asText("?") + ")");
                        }
                    }
                }
                default -> { }
            }
        }
    }
}
