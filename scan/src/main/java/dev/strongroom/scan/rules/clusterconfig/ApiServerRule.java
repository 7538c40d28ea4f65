package dev.strongroom.scan.rules.clusterconfig;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.Arrays;

/**
 * SR-API-001..004: kube-apiserver flags that leave the API open or Secrets unprotected. Defaults
 * matter: {@code --anonymous-auth} defaults to true and {@code --authorization-mode} to AlwaysAllow,
 * so leaving them out is reported too.
 */
public final class ApiServerRule implements Rule {
    static final RuleInfo ANONYMOUS = rule("SR-API-001", "Cluster configuration")
            .title("kube-apiserver allows anonymous requests (--anonymous-auth=true, the default)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 1.2.1 (ensure that the --anonymous-auth argument is set to false)",
                  "NSA-CISA Kubernetes Hardening Guide: authentication")
            .why("""
                 Anonymous requests are served as system:anonymous / system:unauthenticated; one careless
                 binding to those names exposes the cluster to anyone who can reach the API server. The flag
                 defaults to true, so leaving it out is the same as setting it.""")
            .fix("""
                 spec:
                   containers:
                     - name: kube-apiserver
                       command:
                         - kube-apiserver
                         - --anonymous-auth=false""");
    static final RuleInfo ALWAYS_ALLOW = rule("SR-API-002", "Cluster configuration")
            .title("kube-apiserver authorizes everything (--authorization-mode AlwaysAllow, the default)")
            .severity(Severity.CRITICAL)
            .refs("CIS Kubernetes Benchmark: ensure that the --authorization-mode argument is not set to AlwaysAllow, includes Node and includes RBAC",
                  "NSA-CISA Kubernetes Hardening Guide: authorization")
            .why("""
                 With AlwaysAllow every authenticated (and, with anonymous auth, unauthenticated) request is
                 permitted: RBAC, including every rule this scanner checks, is not consulted at all.""")
            .fix("""
                 command:
                   - kube-apiserver
                   - --authorization-mode=Node,RBAC""");
    static final RuleInfo NO_ENCRYPTION = rule("SR-API-003", "Cluster configuration")
            .title("kube-apiserver has no --encryption-provider-config (Secrets stored in plain text)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark: ensure that the --encryption-provider-config argument is set as appropriate",
                  "NSA-CISA Kubernetes Hardening Guide: encrypt Secrets at rest")
            .why("""
                 Without an encryption configuration every Secret is written to etcd as plain protobuf: anyone
                 with an etcd backup, snapshot or disk has all of them.""")
            .fix("""
                 command:
                   - kube-apiserver
                   - --encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml""");
    static final RuleInfo NO_AUDIT = rule("SR-API-004", "Cluster configuration")
            .title("kube-apiserver has no --audit-policy-file (nothing is audited)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark: ensure that the --audit-log-path argument is set; v1.8 3.2.1 (ensure that a minimal audit policy is created)",
                  "NSA-CISA Kubernetes Hardening Guide: audit logging")
            .why("""
                 Without an audit policy the API server records no audit events: who read or changed which
                 Secret cannot be answered after an incident.""")
            .fix("""
                 command:
                   - kube-apiserver
                   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
                   - --audit-log-path=/var/log/kubernetes/audit.log""");

    private enum Check { ANONYMOUS, ALWAYS_ALLOW, NO_ENCRYPTION, NO_AUDIT }

    private final RuleInfo info;
    private final Check check;

    private ApiServerRule(RuleInfo info, Check check) {
        this.info = info;
        this.check = check;
    }

    public static ApiServerRule anonymousAuth() { return new ApiServerRule(ANONYMOUS, Check.ANONYMOUS); }
    public static ApiServerRule alwaysAllow() { return new ApiServerRule(ALWAYS_ALLOW, Check.ALWAYS_ALLOW); }
    public static ApiServerRule noEncryption() { return new ApiServerRule(NO_ENCRYPTION, Check.NO_ENCRYPTION); }
    public static ApiServerRule noAudit() { return new ApiServerRule(NO_AUDIT, Check.NO_AUDIT); }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (ApiServerFlags.Invocation inv : ApiServerFlags.all(inventory)) {
            switch (check) {
                case ANONYMOUS -> {
                    ApiServerFlags.Flag f = inv.flag("anonymous-auth");
                    if (f == null) {
                        findings.add(info, inv.owner(), inv.listPointer(), "--anonymous-auth is not set and defaults to true");
                    } else if (f.value().equalsIgnoreCase("true")) {
                        findings.add(info, inv.owner(), f.pointer(), "--anonymous-auth=true");
                    }
                }
                case ALWAYS_ALLOW -> {
                    ApiServerFlags.Flag f = inv.flag("authorization-mode");
                    if (f == null && inv.flag("authorization-config") == null) {
                        findings.add(info, inv.owner(), inv.listPointer(), "--authorization-mode is not set and defaults to AlwaysAllow");
                    } else if (f != null && Arrays.asList(f.value().split(",")).contains("AlwaysAllow")) {
                        findings.add(info, inv.owner(), f.pointer(), "--authorization-mode=" + f.value() + " includes AlwaysAllow");
                    }
                }
                case NO_ENCRYPTION -> {
                    if (inv.flag("encryption-provider-config") == null) {
                        findings.add(info, inv.owner(), inv.listPointer(), "--encryption-provider-config is not set");
                    }
                }
                case NO_AUDIT -> {
                    if (inv.flag("audit-policy-file") == null) {
                        findings.add(info, inv.owner(), inv.listPointer(), "--audit-policy-file is not set");
                    }
                }
                default -> { }
            }
        }
    }
}
