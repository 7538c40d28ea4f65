package dev.strongroom.server.authn.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's {@code --authentication-config} file ({@code apiserver.config.k8s.io/v1}
 * {@code AuthenticationConfiguration}, also v1beta1 and v1alpha1), decoded strictly and validated with upstream's
 * {@code ValidateAuthenticationConfiguration} rules and messages. CEL expressions ({@code expression},
 * {@code valueExpression}, {@code userValidationRules}) are refused at load: Strongroom does not evaluate CEL yet.
 */
public record AuthenticationConfiguration(List<Jwt> jwt, Anonymous anonymous) {
    static final Set<String> API_VERSIONS = Set.of("apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1", "apiserver.config.k8s.io/v1alpha1");
    static final String CEL_UNSUPPORTED = "CEL expressions are not supported yet by Strongroom; use claim (with prefix) mappings and claim/requiredValue rules";

    public record Jwt(Issuer issuer, List<ClaimValidationRule> claimValidationRules, ClaimMappings claimMappings) {}

    public record Issuer(String url, String discoveryURL, String certificateAuthority, List<String> audiences, String audienceMatchPolicy) {}

    public record ClaimValidationRule(String claim, String requiredValue) {}

    /** {@code prefix} is null when absent: upstream distinguishes "not set" from "". */
    public record PrefixedClaim(String claim, String prefix) {}

    public record ClaimMappings(PrefixedClaim username, PrefixedClaim groups, String uidClaim) {}

    /** {@code anonymous}: enabled, and the only paths it applies to (empty: every path). */
    public record Anonymous(boolean enabled, List<String> paths) {}

    /** Thrown with upstream-shaped messages when the file cannot be used. */
    public static final class ConfigException extends IOException {
        public ConfigException(String message) { super(message); }
    }

    /**
     * @param disallowedIssuers the service-account issuers (a JWT issuer must not reuse one)
     */
    public static AuthenticationConfiguration load(Path file, List<String> disallowedIssuers) throws IOException {
        byte[] data = Files.readAllBytes(file);
        if (new String(data, java.nio.charset.StandardCharsets.UTF_8).isBlank()) throw new ConfigException("empty config file \"" + file + "\"");
        JsonNode root;
        try {
            root = Json.YAML.readTree(data);
        } catch (IOException e) {
            throw new ConfigException("failed to load authentication configuration from \"" + file + "\": " + e.getMessage().split("\n")[0]);
        }
        return parse(root, disallowedIssuers, file.toString());
    }

    static AuthenticationConfiguration parse(JsonNode root, List<String> disallowedIssuers, String source) throws ConfigException {
        if (!(root instanceof ObjectNode obj)) throw new ConfigException("failed to load authentication configuration from \"" + source + "\": not a YAML or JSON object");
        String apiVersion = obj.path("apiVersion").asText(""), kind = obj.path("kind").asText("");
        if (kind.isEmpty()) throw new ConfigException("Object 'Kind' is missing in '" + source + "'");
        if (!API_VERSIONS.contains(apiVersion) || !kind.equals("AuthenticationConfiguration")) {
            throw new ConfigException("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\" in scheme");
        }
        Strict s = new Strict();
        s.fields(obj, "", Set.of("apiVersion", "kind", "jwt", "anonymous"));
        List<FieldError> errs = new ArrayList<>();
        List<Jwt> jwts = new ArrayList<>();
        JsonNode jwtList = obj.get("jwt");
        if (jwtList != null && !jwtList.isNull()) {
            if (!jwtList.isArray()) throw s.type("jwt", "array");
            if (jwtList.size() > 64) {
                errs.add(new FieldError(FieldError.Type.TOO_MANY, "jwt", jwtList.size(), "must have at most 64 items"));
            } else {
                Set<String> seenIssuers = new HashSet<>(), seenDiscovery = new HashSet<>();
                for (int i = 0; i < jwtList.size(); i++) {
                    Jwt j = jwt(s, errs, jwtList.get(i), "jwt[" + i + "]", Set.copyOf(disallowedIssuers));
                    if (!seenIssuers.add(j.issuer().url())) errs.add(FieldError.duplicate("jwt[" + i + "].issuer.url", j.issuer().url()));
                    if (!j.issuer().discoveryURL().isEmpty() && !seenDiscovery.add(j.issuer().discoveryURL())) {
                        errs.add(FieldError.duplicate("jwt[" + i + "].issuer.discoveryURL", j.issuer().discoveryURL()));
                    }
                    jwts.add(j);
                }
            }
        }
        Anonymous anonymous = null;
        JsonNode an = obj.get("anonymous");
        if (an != null && !an.isNull()) {
            s.fields(an, "anonymous", Set.of("enabled", "conditions"));
            boolean enabled = an.path("enabled").asBoolean(false);
            List<String> paths = new ArrayList<>();
            JsonNode conds = an.get("conditions");
            if (conds != null && conds.isArray()) {
                for (int i = 0; i < conds.size(); i++) {
                    s.fields(conds.get(i), "anonymous.conditions[" + i + "]", Set.of("path"));
                    paths.add(conds.get(i).path("path").asText(""));
                }
            }
            if (!enabled && !paths.isEmpty()) {
                errs.add(FieldError.invalid("anonymous.conditions", FieldError.OMIT, "enabled should be set to true when conditions are defined"));
            }
            anonymous = new Anonymous(enabled, List.copyOf(paths));
        }
        if (!s.unknown.isEmpty()) {
            throw new ConfigException("strict decoding error: " + String.join(", ", s.unknown));
        }
        if (!errs.isEmpty()) throw new ConfigException(ApiException.aggregate(errs));
        return new AuthenticationConfiguration(List.copyOf(jwts), anonymous);
    }

    private static Jwt jwt(Strict s, List<FieldError> errs, JsonNode n, String path, Set<String> disallowed) throws ConfigException {
        s.fields(n, path, Set.of("issuer", "claimValidationRules", "claimMappings", "userValidationRules"));
        JsonNode is = n.path("issuer");
        String ip = path + ".issuer";
        s.fields(is, ip, Set.of("url", "discoveryURL", "certificateAuthority", "audiences", "audienceMatchPolicy", "egressSelectorType"));
        String url = s.str(is, "url", ip), discovery = s.str(is, "discoveryURL", ip), ca = s.str(is, "certificateAuthority", ip);
        String policy = s.str(is, "audienceMatchPolicy", ip), egress = s.str(is, "egressSelectorType", ip);
        List<String> audiences = s.strings(is, "audiences", ip);

        if (url.isEmpty()) errs.add(FieldError.required(ip + ".url", ""));
        else validateUrl(errs, url, disallowed, ip + ".url");
        if (!discovery.isEmpty()) {
            if (!url.isEmpty() && trimRight(url).equals(trimRight(discovery))) {
                errs.add(FieldError.invalid(ip + ".discoveryURL", discovery, "discoveryURL must be different from URL"));
            }
            validateUrl(errs, discovery, Set.of(), ip + ".discoveryURL");
        }
        if (audiences.isEmpty()) {
            errs.add(FieldError.required(ip + ".audiences", "at least one " + ip + ".audiences is required"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < audiences.size(); i++) {
                String a = audiences.get(i);
                if (a.isEmpty()) errs.add(FieldError.required(ip + ".audiences[" + i + "]", ""));
                if (!seen.add(a)) errs.add(FieldError.duplicate(ip + ".audiences[" + i + "]", a));
            }
            if (audiences.size() > 1 && !policy.equals("MatchAny")) {
                errs.add(FieldError.invalid(ip + ".audienceMatchPolicy", policy, "audienceMatchPolicy must be MatchAny for multiple audiences"));
            }
            if (audiences.size() == 1 && !policy.isEmpty() && !policy.equals("MatchAny")) {
                errs.add(FieldError.invalid(ip + ".audienceMatchPolicy", policy, "audienceMatchPolicy must be empty or MatchAny for single audience"));
            }
        }
        if (!ca.isEmpty()) {
            try {
                if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty()) {
                    errs.add(FieldError.invalid(ip + ".certificateAuthority", "<omitted>", "data does not contain any valid RSA or ECDSA certificates"));
                }
            } catch (CertificateException e) {
                errs.add(FieldError.invalid(ip + ".certificateAuthority", "<omitted>", "data does not contain any valid RSA or ECDSA certificates"));
            }
        }
        if (!egress.isEmpty()) {
            errs.add(FieldError.invalid(ip + ".egressSelectorType", egress, "egress selector is not supported when StructuredAuthenticationConfigurationEgressSelector feature gate is disabled"));
        }

        List<ClaimValidationRule> rules = new ArrayList<>();
        JsonNode cvr = n.get("claimValidationRules");
        if (cvr != null && !cvr.isNull()) {
            if (!cvr.isArray()) throw s.type(path + ".claimValidationRules", "array");
            Set<String> seenClaims = new HashSet<>();
            for (int i = 0; i < cvr.size(); i++) {
                String rp = path + ".claimValidationRules[" + i + "]";
                JsonNode r = cvr.get(i);
                s.fields(r, rp, Set.of("claim", "requiredValue", "expression", "message"));
                String claim = s.str(r, "claim", rp), required = s.str(r, "requiredValue", rp), expr = s.str(r, "expression", rp), msg = s.str(r, "message", rp);
                if (!claim.isEmpty() && !expr.isEmpty()) {
                    errs.add(FieldError.invalid(rp, claim, "claim and expression can't both be set"));
                } else if (claim.isEmpty() && expr.isEmpty()) {
                    errs.add(FieldError.required(rp, "claim or expression is required"));
                } else if (!claim.isEmpty()) {
                    if (!msg.isEmpty()) errs.add(FieldError.invalid(rp + ".message", msg, "may not be specified when claim is set"));
                    if (!seenClaims.add(claim)) errs.add(FieldError.duplicate(rp + ".claim", claim));
                    rules.add(new ClaimValidationRule(claim, required));
                } else {
                    if (!required.isEmpty()) errs.add(FieldError.invalid(rp + ".requiredValue", required, "may not be specified when expression is set"));
                    errs.add(FieldError.invalid(rp + ".expression", expr, CEL_UNSUPPORTED));
                }
            }
        }

        JsonNode cm = n.path("claimMappings");
        String mp = path + ".claimMappings";
        s.fields(cm, mp, Set.of("username", "groups", "uid", "extra"));
        PrefixedClaim username = prefixed(s, errs, cm.path("username"), mp + ".username", true);
        PrefixedClaim groups = prefixed(s, errs, cm.path("groups"), mp + ".groups", false);
        JsonNode uid = cm.path("uid");
        s.fields(uid, mp + ".uid", Set.of("claim", "expression"));
        String uidClaim = s.str(uid, "claim", mp + ".uid"), uidExpr = s.str(uid, "expression", mp + ".uid");
        if (!uidClaim.isEmpty() && !uidExpr.isEmpty()) errs.add(FieldError.invalid(mp + ".uid", "", "claim and expression can't both be set"));
        else if (!uidExpr.isEmpty()) errs.add(FieldError.invalid(mp + ".uid.expression", uidExpr, CEL_UNSUPPORTED));
        JsonNode extra = cm.get("extra");
        if (extra != null && !extra.isNull()) {
            if (!extra.isArray()) throw s.type(mp + ".extra", "array");
            Set<String> seenKeys = new HashSet<>();
            for (int i = 0; i < extra.size(); i++) {
                String ep = mp + ".extra[" + i + "]";
                JsonNode e = extra.get(i);
                s.fields(e, ep, Set.of("key", "valueExpression"));
                String key = s.str(e, "key", ep), valueExpr = s.str(e, "valueExpression", ep);
                String keyErr = domainPrefixedPathError(key);
                if (keyErr != null) errs.add(key.isEmpty() ? FieldError.required(ep + ".key", "") : FieldError.invalid(ep + ".key", key, keyErr));
                if (!key.equals(key.toLowerCase(Locale.ROOT))) errs.add(FieldError.invalid(ep + ".key", key, "must be lowercase"));
                if (isKubernetesDomain(key)) errs.add(FieldError.invalid(ep + ".key", key, "k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use"));
                if (!seenKeys.add(key)) {
                    errs.add(FieldError.duplicate(ep + ".key", key));
                    continue;
                }
                if (valueExpr.isEmpty()) errs.add(FieldError.required(ep + ".valueExpression", ""));
                else errs.add(FieldError.invalid(ep + ".valueExpression", valueExpr, CEL_UNSUPPORTED));
            }
        }
        JsonNode uvr = n.get("userValidationRules");
        if (uvr != null && !uvr.isNull()) {
            if (!uvr.isArray()) throw s.type(path + ".userValidationRules", "array");
            for (int i = 0; i < uvr.size(); i++) {
                String up = path + ".userValidationRules[" + i + "]";
                s.fields(uvr.get(i), up, Set.of("expression", "message"));
                String expr = s.str(uvr.get(i), "expression", up);
                if (expr.isEmpty()) errs.add(FieldError.required(up + ".expression", ""));
                else errs.add(FieldError.invalid(up + ".expression", expr, CEL_UNSUPPORTED));
            }
        }
        return new Jwt(new Issuer(url, discovery, ca, List.copyOf(audiences), policy), List.copyOf(rules),
                new ClaimMappings(username, groups, uidClaim));
    }

    private static PrefixedClaim prefixed(Strict s, List<FieldError> errs, JsonNode n, String p, boolean required) throws ConfigException {
        s.fields(n, p, Set.of("claim", "prefix", "expression"));
        String claim = s.str(n, "claim", p), expr = s.str(n, "expression", p);
        JsonNode pn = n.get("prefix");
        String prefix = pn == null || pn.isNull() ? null : s.str(n, "prefix", p);
        if (!expr.isEmpty() && !claim.isEmpty()) {
            errs.add(FieldError.invalid(p, "", "claim and expression can't both be set"));
        } else if (expr.isEmpty() && claim.isEmpty() && required) {
            errs.add(FieldError.required(p, "claim or expression is required"));
        } else if (!expr.isEmpty()) {
            if (prefix != null) errs.add(FieldError.invalid(p + ".prefix", prefix, "may not be specified when expression is set"));
            errs.add(FieldError.invalid(p + ".expression", expr, CEL_UNSUPPORTED));
        } else if (!claim.isEmpty() && prefix == null) {
            errs.add(FieldError.required(p + ".prefix", "prefix is required when claim is set. It can be set to an empty string to disable prefixing"));
        }
        return new PrefixedClaim(claim, prefix);
    }

    private static void validateUrl(List<FieldError> errs, String u, Set<String> disallowed, String field) {
        if (disallowed.contains(u)) {
            errs.add(FieldError.invalid(field, u, "URL must not overlap with disallowed issuers: [" + String.join(" ", new java.util.TreeSet<>(disallowed)) + "]"));
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            errs.add(FieldError.invalid(field, u, "parse " + dev.strongroom.api.errors.GoQuote.quote(u) + ": " + e.getReason()));
            return;
        }
        if (!"https".equals(uri.getScheme())) errs.add(FieldError.invalid(field, u, "URL scheme must be https"));
        if (uri.getRawUserInfo() != null) errs.add(FieldError.invalid(field, u, "URL must not contain a username or password"));
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) errs.add(FieldError.invalid(field, u, "URL must not contain a query"));
        if (uri.getRawFragment() != null && !uri.getRawFragment().isEmpty()) errs.add(FieldError.invalid(field, u, "URL must not contain a fragment"));
    }

    private static String trimRight(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '/') e--;
        return s.substring(0, e);
    }

    /** {@code IsDomainPrefixedPath}: a DNS-1123 subdomain, a slash, and a non-empty path. */
    static String domainPrefixedPathError(String key) {
        if (key.isEmpty()) return "";
        int slash = key.indexOf('/');
        if (slash < 1 || slash == key.length() - 1) return "must be a domain-prefixed path (such as \"acme.io/foo\")";
        String host = key.substring(0, slash);
        if (!host.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") || host.length() > 253) {
            return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        }
        return null;
    }

    static boolean isKubernetesDomain(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) return false;
        String d = key.substring(0, slash);
        return d.equals("kubernetes.io") || d.endsWith(".kubernetes.io") || d.equals("k8s.io") || d.endsWith(".k8s.io");
    }

    /** Strict decoding: unknown fields are collected (upstream's {@code strict decoding error: unknown field "…"}). */
    private static final class Strict {
        final List<String> unknown = new ArrayList<>();

        void fields(JsonNode n, String path, Set<String> allowed) throws ConfigException {
            if (n == null || n.isNull() || n.isMissingNode()) return;
            if (!n.isObject()) throw type(path, "object");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                String k = it.next().getKey();
                if (!allowed.contains(k)) unknown.add("unknown field \"" + (path.isEmpty() ? k : path + "." + k) + "\"");
            }
        }

        String str(JsonNode n, String field, String path) throws ConfigException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) return "";
            if (!v.isTextual()) throw type(path + "." + field, "string");
            return v.asText();
        }

        List<String> strings(JsonNode n, String field, String path) throws ConfigException {
            JsonNode v = n.get(field);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) return out;
            if (!v.isArray()) throw type(path + "." + field, "array");
            for (JsonNode x : v) {
                if (!x.isTextual()) throw type(path + "." + field, "string");
                out.add(x.asText());
            }
            return out;
        }

        ConfigException type(String path, String want) {
            return new ConfigException("json: cannot unmarshal into Go struct field " + path + " (expected " + want + ")");
        }
    }
}
