package dev.strongroom.scan.rules;

import dev.strongroom.scan.rules.clusterconfig.ApiServerRule;
import dev.strongroom.scan.rules.clusterconfig.AuditPolicyRule;
import dev.strongroom.scan.rules.clusterconfig.EncryptionRule;
import dev.strongroom.scan.rules.images.DigestPinRule;
import dev.strongroom.scan.rules.images.MutableTagRule;
import dev.strongroom.scan.rules.images.RegistryAllowListRule;
import dev.strongroom.scan.rules.network.DefaultDenyRule;
import dev.strongroom.scan.rules.network.UnselectedWorkloadRule;
import dev.strongroom.scan.rules.pods.DangerousCapabilitiesRule;
import dev.strongroom.scan.rules.pods.DropAllCapabilitiesRule;
import dev.strongroom.scan.rules.pods.HostNamespacesRule;
import dev.strongroom.scan.rules.pods.HostPathRule;
import dev.strongroom.scan.rules.pods.PrivilegeEscalationRule;
import dev.strongroom.scan.rules.pods.PrivilegedRule;
import dev.strongroom.scan.rules.pods.ReadOnlyRootRule;
import dev.strongroom.scan.rules.pods.RunAsRootRule;
import dev.strongroom.scan.rules.pods.ServiceAccountTokenRule;
import dev.strongroom.scan.rules.pss.PssRules;
import dev.strongroom.scan.rules.rbac.BroadSecretAccessRule;
import dev.strongroom.scan.rules.rbac.EscalationVerbRule;
import dev.strongroom.scan.rules.rbac.ExecAndTokenRule;
import dev.strongroom.scan.rules.rbac.PrivilegedBindingRule;
import dev.strongroom.scan.rules.rbac.WildcardRule;
import dev.strongroom.scan.rules.resources.ContainerLimitsRule;
import dev.strongroom.scan.rules.resources.NamespaceGuardRule;
import dev.strongroom.scan.rules.secrets.CommittedSecretRule;
import dev.strongroom.scan.rules.secrets.CredentialDetector;
import dev.strongroom.scan.rules.secrets.GenericSecretRule;
import dev.strongroom.scan.rules.secrets.KnownCredentialRule;
import dev.strongroom.scan.rules.secrets.SecretInEnvRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every rule, in catalogue order; the one place a new rule is registered. */
public final class RuleCatalog {
    private RuleCatalog() {}

    /** The rules a scan with this profile and these options runs. */
    public static List<Rule> rules(Profile profile, ScanOptions options) {
        CredentialDetector detector = new CredentialDetector(options.entropyThreshold());
        List<Rule> rules = new ArrayList<>(List.of(
                new InputRule(),
                new CommittedSecretRule(), new KnownCredentialRule(detector), new GenericSecretRule(detector), new SecretInEnvRule(),
                new WildcardRule(), new PrivilegedBindingRule(), new BroadSecretAccessRule(), new EscalationVerbRule(), new ExecAndTokenRule(),
                DefaultDenyRule.ingress(options), DefaultDenyRule.egress(options), new UnselectedWorkloadRule(options),
                NamespaceGuardRule.quota(options), NamespaceGuardRule.limitRange(options), new ContainerLimitsRule()));
        switch (profile) {
            case DEFAULT -> rules.addAll(List.of(new RunAsRootRule(), new PrivilegedRule(), new PrivilegeEscalationRule(),
                    new ReadOnlyRootRule(), new DropAllCapabilitiesRule(), new DangerousCapabilitiesRule(options),
                    new HostPathRule(), new HostNamespacesRule(), new ServiceAccountTokenRule()));
            case BASELINE -> rules.addAll(PssRules.baseline());
            case RESTRICTED -> rules.addAll(PssRules.restricted());
        }
        rules.addAll(List.of(new MutableTagRule(), new DigestPinRule(), new RegistryAllowListRule(options),
                EncryptionRule.notCovered(), EncryptionRule.identityFirst(), EncryptionRule.aescbc(), EncryptionRule.kmsV1(),
                AuditPolicyRule.bodiesLogged(), AuditPolicyRule.notAudited(),
                ApiServerRule.anonymousAuth(), ApiServerRule.alwaysAllow(), ApiServerRule.noEncryption(), ApiServerRule.noAudit()));
        return rules;
    }

    /** The whole catalogue, every profile's rules included, by ID in catalogue order. */
    public static Map<String, RuleInfo> all() {
        Map<String, RuleInfo> all = new LinkedHashMap<>();
        for (Rule r : rules(Profile.DEFAULT, ScanOptions.defaults())) all.put(r.info().id(), r.info());
        for (Rule r : rules(Profile.RESTRICTED, ScanOptions.defaults())) all.putIfAbsent(r.info().id(), r.info());
        return all;
    }
}
