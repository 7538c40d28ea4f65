package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.request.RequestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@code audit.k8s.io/v1} Policy and its evaluation, as kube-apiserver's {@code pkg/audit/policy}: rules in order,
 * the first match wins, no match means level None; a rule's omitStages is the union with the policy's;
 * {@code omitManagedFields} of a rule overrides the policy's.
 */
public final class Policy {
    private static final Logger log = LoggerFactory.getLogger(Policy.class);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** What the policy says for one request (kube's {@code RequestAuditConfig} with its level). */
    public record Decision(Level level, Set<Stage> omitStages, boolean omitManagedFields) {
        public boolean omits(Stage s) { return omitStages.contains(s); }
    }

    public record GroupResources(String group, List<String> resources, List<String> resourceNames) {}

    public record Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs,
                       List<GroupResources> resources, List<String> namespaces, List<String> nonResourceURLs,
                       Decision decision) {}

    private final List<Rule> rules;
    private final Decision noMatch;

    private Policy(List<Rule> rules, Decision noMatch) {
        this.rules = List.copyOf(rules);
        this.noMatch = noMatch;
    }

    public List<Rule> rules() { return rules; }

    /**
     * Without {@code --audit-policy-file}: health probes are not logged, secrets and tokens (and everything else) at
     * Metadata: who did what to which object, never a body. RequestReceived is omitted (ResponseComplete carries
     * everything it would).
     */
    public static final String DEFAULT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            rules:
            # Health probes: load balancers call them every few seconds.
            - level: None
              nonResourceURLs: ["/healthz*", "/livez*", "/readyz*"]
            # Secrets and tokens: Metadata only. Raise this rule's level only knowingly: even then Strongroom
            # replaces every secret value and token by its HMAC (docs/audit.md).
            - level: Metadata
              resources:
              - group: ""
                resources: ["secrets", "serviceaccounts/token"]
              - group: "authentication.k8s.io"
                resources: ["tokenreviews"]
            # Everything else.
            - level: Metadata
            """;

    public static Policy defaults() {
        return parse(DEFAULT_POLICY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Policy load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("failed to read audit policy file " + GoQuoteLite.q(file.toString()) + ": " + e.getMessage(), e);
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": from file " + file, e);
        }
    }

    /** Parses and validates (kube's {@code LoadPolicyFromBytes}: decode, group/version check, validation, ≥ 1 rule). */
    public static Policy parse(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("failed decoding: " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("failed decoding: the policy is not an object");
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!kind.equals("Policy") || !List.of("audit.k8s.io/v1", "audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1").contains(apiVersion)) {
            throw new IllegalArgumentException("unknown group version field " + apiVersion + ", Kind=" + kind + " in policy");
        }
        if (!apiVersion.equals("audit.k8s.io/v1")) log.warn("\"{}\" is deprecated and will be removed in a future release, use \"audit.k8s.io/v1\" instead", apiVersion);
        List<String> errors = new ArrayList<>();
        EnumSet<Stage> policyOmit = stages(root.path("omitStages"), "omitStages", errors);
        boolean policyOmitManaged = root.path("omitManagedFields").asBoolean(false);
        List<Rule> rules = new ArrayList<>();
        JsonNode rs = root.path("rules");
        for (int i = 0; i < rs.size(); i++) {
            JsonNode r = rs.get(i);
            String p = "rules[" + i + "]";
            Level level = level(r.path("level").asText(""), p + ".level", errors);
            List<String> nonResource = strings(r.path("nonResourceURLs"));
            for (int j = 0; j < nonResource.size(); j++) {
                String u = nonResource.get(j);
                if (u.equals("*")) continue;
                if (!u.startsWith("/")) errors.add(p + ".nonResourceURLs[" + j + "]: Invalid value: " + GoQuoteLite.q(u) + ": non-resource URL rules must begin with a '/' character");
                if (!u.isEmpty() && u.substring(0, u.length() - 1).contains("*")) {
                    errors.add(p + ".nonResourceURLs[" + j + "]: Invalid value: " + GoQuoteLite.q(u) + ": non-resource URL wildcards '*' must be the final character of the rule");
                }
            }
            List<GroupResources> resources = new ArrayList<>();
            for (JsonNode gr : r.path("resources")) {
                String group = gr.path("group").asText("");
                if (!group.isEmpty() && (group.length() > 253 || !DNS1123_SUBDOMAIN.matcher(group).matches())) {
                    errors.add(p + ".resources.group: Invalid value: " + GoQuoteLite.q(group) + ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
                }
                List<String> names = strings(gr.path("resourceNames"));
                List<String> res = strings(gr.path("resources"));
                if (!names.isEmpty() && res.isEmpty()) errors.add(p + ".resources.resourceNames: Invalid value: " + names + ": using resourceNames requires at least one resource");
                resources.add(new GroupResources(group, res, names));
            }
            EnumSet<Stage> omit = stages(r.path("omitStages"), p + ".omitStages", errors);
            List<String> namespaces = strings(r.path("namespaces"));
            if (!nonResource.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
                errors.add(p + ".nonResourceURLs: Invalid value: " + nonResource + ": rules cannot apply to both regular resources and non-resource URLs");
            }
            omit.addAll(policyOmit);
            JsonNode om = r.get("omitManagedFields");
            boolean omitManaged = om == null || om.isNull() ? policyOmitManaged : om.asBoolean();
            rules.add(new Rule(level, strings(r.path("users")), strings(r.path("userGroups")), strings(r.path("verbs")),
                    resources, namespaces, nonResource, new Decision(level, Set.copyOf(omit), omitManaged)));
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        if (rules.isEmpty()) throw new IllegalArgumentException("loaded illegal policy with 0 rules");
        return new Policy(rules, new Decision(Level.None, Set.copyOf(policyOmit), policyOmitManaged));
    }

    private static Level level(String s, String path, List<String> errors) {
        if (s.isEmpty()) {
            errors.add(path + ": Required value");
            return Level.None;
        }
        try {
            return Level.valueOf(s);
        } catch (IllegalArgumentException e) {
            errors.add(path + ": Unsupported value: " + GoQuoteLite.q(s) + ": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\"");
            return Level.None;
        }
    }

    private static EnumSet<Stage> stages(JsonNode n, String path, List<String> errors) {
        EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
        List<String> ss = strings(n);
        for (int i = 0; i < ss.size(); i++) {
            try {
                out.add(Stage.valueOf(ss.get(i)));
            } catch (IllegalArgumentException e) {
                errors.add(path + "[" + i + "]: Invalid value: " + GoQuoteLite.q(ss.get(i)) + ": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic");
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) for (JsonNode e : n) out.add(e.asText());
        return out;
    }

    /** The first matching rule's decision; None with the policy's omitStages if no rule matches. */
    public Decision evaluate(UserInfo user, RequestInfo info) {
        for (Rule r : rules) if (matches(r, user, info)) return r.decision();
        return noMatch;
    }

    static boolean matches(Rule r, UserInfo user, RequestInfo info) {
        if (!r.users().isEmpty() && (user == null || !r.users().contains(user.name()))) return false;
        if (!r.userGroups().isEmpty()) {
            if (user == null) return false;
            boolean any = false;
            for (String g : user.groups()) {
                if (r.userGroups().contains(g)) {
                    any = true;
                    break;
                }
            }
            if (!any) return false;
        }
        if (!r.verbs().isEmpty() && !r.verbs().contains(info.verb())) return false;
        if (!r.namespaces().isEmpty() || !r.resources().isEmpty()) return matchesResource(r, info);
        if (!r.nonResourceURLs().isEmpty()) return matchesNonResource(r, info);
        return true;
    }

    private static boolean matchesNonResource(Rule r, RequestInfo info) {
        if (info.resourceRequest()) return false;
        String path = info.path();
        for (String spec : r.nonResourceURLs()) {
            if (spec.equals("*") || spec.equals(path)) return true;
            if (spec.endsWith("*") && path.startsWith(trimRightStars(spec))) return true;
        }
        return false;
    }

    private static String trimRightStars(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '*') e--;
        return s.substring(0, e);
    }

    private static boolean matchesResource(Rule r, RequestInfo info) {
        if (!info.resourceRequest()) return false;
        if (!r.namespaces().isEmpty() && !r.namespaces().contains(info.namespace())) return false;
        if (r.resources().isEmpty()) return true;
        String resource = info.resource();
        String sub = info.subresource();
        String combined = sub.isEmpty() ? resource : resource + "/" + sub;
        for (GroupResources gr : r.resources()) {
            if (!gr.group().equals(info.apiGroup())) continue;
            if (gr.resources().isEmpty()) return true;
            for (String res : gr.resources()) {
                if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(info.name())) continue;
                if (res.equals(combined) || res.equals("*")) return true;
                if (!sub.isEmpty() && res.startsWith("*/") && sub.equals(res.substring(2))) return true;
                if (res.endsWith("/*") && resource.equals(res.substring(0, res.length() - 2))) return true;
            }
        }
        return false;
    }

    /** Go's %q for plain strings (enough for messages). */
    static final class GoQuoteLite {
        static String q(String s) { return dev.strongroom.api.errors.GoQuote.quote(s); }
    }
}
