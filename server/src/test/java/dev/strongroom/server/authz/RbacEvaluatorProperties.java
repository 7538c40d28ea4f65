package dev.strongroom.server.authz;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.rbac.Covers;
import dev.strongroom.server.authz.rbac.PolicyRule;
import dev.strongroom.server.authz.rbac.RbacAuthorizer;
import dev.strongroom.server.authz.rbac.RbacPolicy;
import dev.strongroom.api.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the RBAC evaluator over random policies and requests, from a small vocabulary so that matches are
 * frequent: decisions are justified by a bound rule, the escalation check agrees with evaluation, aggregation does
 * not depend on order.
 */
class RbacEvaluatorProperties {
    static final List<String> VERBS = List.of("get", "list", "create", "delete", "*");
    static final List<String> GROUPS = List.of("", "rbac.authorization.k8s.io", "*");
    static final List<String> RESOURCES = List.of("secrets", "roles", "serviceaccounts/token", "*", "*/token");
    static final List<String> NAMES = List.of("a", "b");
    static final List<String> NAMESPACES = List.of("default", "team");
    static final List<String> USERS = List.of("alice", "bob");

    record Request(String user, List<String> groups, String verb, String group, String resource, String subresource, String ns, String name) {
        Attributes attributes() {
            return new Attributes(new UserInfo(user, "", groups, Map.of()), verb, true, "", group, "v1", ns, resource, subresource, name);
        }
    }

    @Provide
    Arbitrary<PolicyRule> rules() {
        return Combinators.combine(subset(VERBS), subset(GROUPS), subset(RESOURCES), Arbitraries.<List<String>>of(List.of(), List.of("a"), List.of("a", "b")))
                .as((v, g, r, n) -> new PolicyRule(v, g, r, n, List.of()));
    }

    private static Arbitrary<List<String>> subset(List<String> from) {
        return Arbitraries.of(from).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> resource = Arbitraries.of("secrets", "roles", "serviceaccounts");
        return Combinators.combine(Arbitraries.of(USERS), Arbitraries.<List<String>>of(List.of("devs"), List.of()), Arbitraries.of("get", "list", "create", "delete"),
                Arbitraries.of("", "rbac.authorization.k8s.io"), resource, Arbitraries.of("", "token"), Arbitraries.of(NAMESPACES), Arbitraries.of("", "a", "b"))
                .as(Request::new);
    }

    @Provide
    Arbitrary<List<ObjectNode>> roleBindings() {
        Arbitrary<ObjectNode> b = Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.of("alice", "bob", "devs"), Arbitraries.integers().between(0, 2))
                .as((ns, subject, i) -> binding("rb-" + i + "-" + subject, ns, subject.equals("devs") ? "Group" : "User", subject, "Role", "role" + i));
        return b.list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<List<PolicyRule>>> roleRules() {
        return rules().list().ofMaxSize(3).list().ofSize(3);
    }

    static ObjectNode binding(String name, String ns, String kind, String subject, String roleKind, String role) {
        ObjectNode o = Json.object();
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        m.put("namespace", ns);
        ObjectNode s = o.putArray("subjects").addObject();
        s.put("kind", kind);
        s.put("name", subject);
        ObjectNode r = o.putObject("roleRef");
        r.put("kind", roleKind);
        r.put("name", role);
        return o;
    }

    static ObjectNode role(String name, String ns, List<PolicyRule> rules, Map<String, String> labels) {
        ObjectNode o = Json.object();
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        if (ns != null) m.put("namespace", ns);
        ObjectNode l = m.putObject("labels");
        labels.forEach(l::put);
        ArrayNode a = o.putArray("rules");
        rules.forEach(r -> a.add(r.toJson()));
        return o;
    }

    static RbacPolicy policy(List<List<PolicyRule>> roleRules, List<ObjectNode> bindings) {
        List<ObjectNode> roles = new ArrayList<>();
        for (String ns : NAMESPACES) for (int i = 0; i < roleRules.size(); i++) roles.add(role("role" + i, ns, roleRules.get(i), Map.of()));
        return RbacPolicy.of(roles, List.of(), bindings, List.of());
    }

    /** Allowed if and only if some rule bound to the user in the request's namespace covers the request. */
    @Property(tries = 400)
    void allowedExactlyWhenABoundRuleCoversTheRequest(@ForAll("roleRules") List<List<PolicyRule>> roleRules,
                                                      @ForAll("roleBindings") List<ObjectNode> bindings, @ForAll("requests") Request req) {
        RbacPolicy p = policy(roleRules, bindings);
        Attributes a = req.attributes();
        boolean allowed = RbacAuthorizer.authorize(p, a).allowed();
        boolean justified = false;
        for (ObjectNode b : bindings) {
            if (!b.path("metadata").path("namespace").asText().equals(req.ns())) continue;
            String subject = b.path("subjects").get(0).path("name").asText();
            String kind = b.path("subjects").get(0).path("kind").asText();
            boolean applies = kind.equals("User") ? subject.equals(req.user()) : req.groups().contains(subject);
            if (!applies) continue;
            int i = Integer.parseInt(b.path("roleRef").path("name").asText().substring(4));
            for (PolicyRule r : roleRules.get(i)) if (coversByDefinition(r, req)) justified = true;
        }
        assertThat(allowed).isEqualTo(justified);
    }

    /** The upstream rule semantics written out independently, as the oracle. */
    static boolean coversByDefinition(PolicyRule r, Request q) {
        String combined = q.subresource().isEmpty() ? q.resource() : q.resource() + "/" + q.subresource();
        boolean verb = r.verbs().contains("*") || r.verbs().contains(q.verb());
        boolean group = r.apiGroups().contains("*") || r.apiGroups().contains(q.group());
        boolean res = r.resources().contains("*") || r.resources().contains(combined)
                || (!q.subresource().isEmpty() && r.resources().contains("*/" + q.subresource()));
        boolean name = r.resourceNames().isEmpty() || r.resourceNames().contains(q.name());
        return verb && group && res && name;
    }

    /** If an owner's rules cover a role, whatever that role allows the owner is allowed too. */
    @Property(tries = 400)
    void escalationCheckAgreesWithEvaluation(@ForAll("rules") PolicyRule owner1, @ForAll("rules") PolicyRule owner2,
                                              @ForAll("rules") PolicyRule servant, @ForAll("requests") Request req) {
        List<PolicyRule> owner = List.of(owner1, owner2);
        boolean covered = Covers.uncovered(owner, List.of(servant)).isEmpty();
        boolean servantAllows = coversByDefinition(servant, req);
        boolean ownerAllows = coversByDefinition(owner1, req) || coversByDefinition(owner2, req);
        if (covered && servantAllows) assertThat(ownerAllows).isTrue();
        // Every rule covers itself.
        assertThat(Covers.uncovered(List.of(servant), List.of(servant))).isEmpty();
    }

    /** Aggregation gives the same rules whatever order the source roles arrive in. */
    @Property(tries = 100)
    void aggregationIsOrderIndependent(@ForAll("roleRules") List<List<PolicyRule>> sources, @ForAll long seed) {
        List<ObjectNode> roles = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) roles.add(role("src" + i, null, sources.get(i), Map.of("agg", "true")));
        List<ObjectNode> shuffled = new ArrayList<>(roles);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        assertThat(aggregate(shuffled)).isEqualTo(aggregate(roles));
    }

    static List<PolicyRule> aggregate(List<ObjectNode> sources) {
        ObjectNode target = role("target", null, List.of(), Map.of());
        target.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels").put("agg", "true");
        List<ObjectNode> all = new ArrayList<>(sources);
        all.add(target);
        RbacPolicy p = RbacPolicy.of(List.of(), all, List.of(), List.of());
        return dev.strongroom.server.authz.rbac.AggregationRules.union(p, "target");
    }
}
