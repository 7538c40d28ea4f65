package dev.strongroom.scan.rules.clusterconfig;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SR-AUD-001 / SR-AUD-002: an audit Policy that logs Secret or token bodies, or does not audit
 * them at all. The policy is evaluated for every request a sensitive resource can receive, from
 * every user, group and namespace the policy itself mentions (plus an ordinary user), so a
 * catch-all rule placed before the secrets rule is caught exactly as kube-apiserver would apply it.
 */
public final class AuditPolicyRule implements Rule {
    static final RuleInfo LOGGED = rule("SR-AUD-001", "Cluster configuration")
            .title("Audit policy logs Secret or token bodies (level above Metadata)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 3.2.2 (ensure that the audit policy covers key security concerns)",
                  "Kubernetes docs: Auditing (log secrets at Metadata level)",
                  "NSA-CISA Kubernetes Hardening Guide: audit logging")
            .why("""
                 At level Request the audit log records request bodies (every Secret created, updated or
                 patched, every token sent to TokenReview); at RequestResponse also response bodies (every
                 Secret read, every token issued by TokenRequest). Audit logs are shipped to more places and
                 people than etcd. The first matching rule decides, so a broad rule above the secrets rule
                 wins.""")
            .fix("""
                 rules:
                   # First: sensitive resources at Metadata only.
                   - level: Metadata
                     resources:
                       - group: ""
                         resources: ["secrets", "configmaps", "serviceaccounts/token"]
                       - group: authentication.k8s.io
                         resources: ["tokenreviews"]
                   # Then the broader rules:
                   - level: RequestResponse
                     resources:
                       - group: ""
                         resources: ["pods"]""");
    static final RuleInfo NOT_AUDITED = rule("SR-AUD-002", "Cluster configuration")
            .title("Audit policy does not audit access to Secrets or tokens")
            .severity(Severity.MEDIUM)
            .refs("CIS Kubernetes Benchmark v1.8 3.2.1 (ensure that a minimal audit policy is created) and 3.2.2 (covers key security concerns)",
                  "NSA-CISA Kubernetes Hardening Guide: audit logging")
            .why("""
                 Who read which Secret is the first question after an incident. A request no rule matches is
                 not logged at all (level None), and so is one whose first matching rule says None.""")
            .fix("""
                 rules:
                   - level: Metadata
                     resources:
                       - group: ""
                         resources: ["secrets", "serviceaccounts/token"]
                       - group: authentication.k8s.io
                         resources: ["tokenreviews"]""");

    /**
     * A sensitive resource and which verbs carry its value in the request body (logged from level
     * Request) or in the response body (logged at RequestResponse).
     */
    private record Target(String label, String group, String resource, String subresource, List<String> verbs,
                          Set<String> sensitiveRequest, Set<String> sensitiveResponse) {
        boolean leaks(String verb, String level) {
            return level.equals("RequestResponse") && sensitiveResponse.contains(verb)
                    || AuditPolicyEvaluator.aboveMetadata(level) && sensitiveRequest.contains(verb);
        }
    }

    private static final List<String> SECRET_VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    private static final List<Target> TARGETS = List.of(
            new Target("secrets", "", "secrets", "", SECRET_VERBS, Set.of("create", "update", "patch"), Set.copyOf(SECRET_VERBS)),
            // TokenRequest: the minted token is in the response.
            new Target("serviceaccounts/token (TokenRequest)", "", "serviceaccounts", "token", List.of("create"), Set.of(), Set.of("create")),
            // TokenReview: the token under review is in the request.
            new Target("tokenreviews", "authentication.k8s.io", "tokenreviews", "", List.of("create"), Set.of("create"), Set.of("create")));
    private static final String ORDINARY_USER = "jane@example.com";

    private final boolean logged;

    private AuditPolicyRule(boolean logged) {
        this.logged = logged;
    }

    public static AuditPolicyRule bodiesLogged() { return new AuditPolicyRule(true); }
    public static AuditPolicyRule notAudited() { return new AuditPolicyRule(false); }

    @Override
    public RuleInfo info() {
        return logged ? LOGGED : NOT_AUDITED;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject policy : inventory.ofKind("Policy")) {
            if (!policy.group().equals("audit.k8s.io")) continue;
            AuditPolicyEvaluator evaluator = new AuditPolicyEvaluator(policy.body());
            for (Target t : TARGETS) {
                // rule index (-1: none matched) -> verbs it decided, for one finding per deciding rule
                Map<Integer, Set<String>> decided = new LinkedHashMap<>();
                Map<Integer, String> levels = new LinkedHashMap<>();
                for (AuditPolicyEvaluator.Request r : requests(policy.body(), t)) {
                    AuditPolicyEvaluator.Decision d = evaluator.evaluate(r);
                    boolean report = logged ? t.leaks(r.verb(), d.level())
                                            : d.level().equals("None") && !r.user().startsWith("system:");
                    if (report) {
                        decided.computeIfAbsent(d.ruleIndex(), k -> new LinkedHashSet<>()).add(r.verb());
                        levels.put(d.ruleIndex(), d.level());
                    }
                }
                decided.forEach((index, verbs) -> {
                    String what = String.join(", ", verbs) + " on " + t.label();
                    if (index < 0) {
                        findings.add(info(), policy, "/rules", "no rule matches " + what + ", so it is not audited");
                    } else if (logged) {
                        findings.add(info(), policy, "/rules/" + index, "rule #" + (index + 1) + " (level " + levels.get(index)
                                + ") is the first to match " + what + ", so the audit log records the "
                                + (t.resource().equals("secrets") ? "secret values" : "tokens") + " in "
                                + (levels.get(index).equals("Request") ? "request bodies" : "request and response bodies"));
                    } else {
                        findings.add(info(), policy, "/rules/" + index, "rule #" + (index + 1)
                                + " (level None) is the first to match " + what + ", so it is not audited");
                    }
                });
            }
        }
    }

    /** Every request for {@code t} that the policy distinguishes: its users, groups, namespaces and names. */
    private static List<AuditPolicyEvaluator.Request> requests(JsonNode policy, Target t) {
        Set<String> users = new LinkedHashSet<>(List.of(ORDINARY_USER));
        Set<String> groups = new LinkedHashSet<>();
        Set<String> namespaces = new LinkedHashSet<>(List.of("default"));
        Set<String> names = new LinkedHashSet<>(List.of("any-name"));
        for (JsonNode rule : policy.path("rules")) {
            rule.path("users").forEach(u -> users.add(u.asText()));
            rule.path("userGroups").forEach(g -> groups.add(g.asText()));
            rule.path("namespaces").forEach(n -> namespaces.add(n.asText()));
            for (JsonNode gr : rule.path("resources")) gr.path("resourceNames").forEach(n -> names.add(n.asText()));
        }
        namespaces.remove(""); // secrets and tokens are namespaced (tokenreviews too, for the checker's purposes)
        record Identity(String user, Set<String> groups) {}
        List<Identity> identities = new ArrayList<>();
        for (String u : users) identities.add(new Identity(u, Set.of("system:authenticated")));
        for (String g : groups) {
            // Members of control-plane groups (system:nodes, system:masters...) count as system
            // identities: exempting them from auditing is a deliberate choice, not an oversight.
            boolean everyone = g.equals("system:authenticated") || g.equals("system:unauthenticated");
            String user = g.startsWith("system:serviceaccounts") ? "system:serviceaccount:default:app"
                    : everyone || !g.startsWith("system:") ? "member-of-" + g : "system:member-of-" + g;
            identities.add(new Identity(user, g.equals("system:unauthenticated") ? Set.of(g) : Set.copyOf(List.of(g, "system:authenticated"))));
        }
        List<AuditPolicyEvaluator.Request> out = new ArrayList<>();
        for (Identity id : identities) {
            for (String verb : t.verbs()) {
                boolean named = !(verb.equals("list") || verb.equals("watch") || (verb.equals("create") && t.subresource().isEmpty()));
                for (String ns : namespaces) {
                    for (String name : named ? names : Set.of("")) {
                        out.add(new AuditPolicyEvaluator.Request(id.user(), id.groups(), verb, ns, t.group(), t.resource(),
                                t.subresource(), name));
                    }
                }
            }
        }
        return out;
    }
}
