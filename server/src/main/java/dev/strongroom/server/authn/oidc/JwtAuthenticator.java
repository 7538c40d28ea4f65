package dev.strongroom.server.authn.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.AuthResult;
import dev.strongroom.server.authn.Authenticator;
import dev.strongroom.server.authn.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code jwt} entry of the AuthenticationConfiguration: kube-apiserver's OIDC token authenticator
 * ({@code plugin/pkg/authenticator/token/oidc}) over go-oidc's verifier. Only tokens whose unverified {@code iss}
 * equals the issuer URL are considered. Discovery ({@code {url}/.well-known/openid-configuration}, or
 * {@code discoveryURL}) must name the same issuer; keys come from its {@code jwks_uri} (see {@link RemoteKeySet}).
 * Then: issuer, audiences (any of the configured ones), expiry, not-before (one minute leeway), an allowed
 * signature algorithm and a signature by a published key; then the claim mappings and required claims.
 */
public final class JwtAuthenticator implements Authenticator.Token {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
    /** With --authentication-config every algorithm of the allow-list is accepted (upstream). */
    static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512");
    static final List<String> ALGORITHMS_SORTED = List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512");
    static final Duration NBF_LEEWAY = Duration.ofMinutes(1);
    static final Duration INIT_RETRY = Duration.ofSeconds(10);
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final AuthenticationConfiguration.Jwt config;
    private final HttpClient http;
    private final Clock clock;
    private volatile RemoteKeySet keySet;
    private Instant lastInitAttempt;

    public JwtAuthenticator(AuthenticationConfiguration.Jwt config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.http = client(config.issuer().certificateAuthority());
        // Upstream initialises asynchronously so that an issuer hosted behind Strongroom itself can come up later.
        Thread.ofVirtual().name("oidc-init").start(this::initialized);
    }

    public String issuer() { return config.issuer().url(); }

    private static HttpClient client(String caPem) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL);
        if (caPem != null && !caPem.isEmpty()) {
            try {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)))) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                b.sslContext(ctx);
            } catch (GeneralSecurityException e) {
                throw new IOException("Failed to read the CA contents: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** Discovery, at most once per {@link #INIT_RETRY} while it fails. */
    private RemoteKeySet initialized() {
        RemoteKeySet ks = keySet;
        if (ks != null) return ks;
        synchronized (this) {
            if (keySet != null) return keySet;
            Instant now = clock.instant();
            if (lastInitAttempt != null && now.isBefore(lastInitAttempt.plus(INIT_RETRY))) return null;
            lastInitAttempt = now;
            try {
                keySet = new RemoteKeySet(discover(), http, clock);
            } catch (IOException e) {
                log.error("oidc authenticator: initializing plugin: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return keySet;
        }
    }

    /** go-oidc's {@code NewProvider}: fetch the discovery document and return its {@code jwks_uri}. */
    private String discover() throws IOException, InterruptedException {
        String issuer = config.issuer().url();
        String url = !config.issuer().discoveryURL().isEmpty() ? config.issuer().discoveryURL()
                : trimTrailingSlash(issuer) + "/.well-known/openid-configuration";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) throw new IOException(r.statusCode() + ": " + abbreviate(r.body()));
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("oidc: failed to decode provider discovery object: " + e.getMessage());
        }
        String got = doc.path("issuer").asText("");
        if (!got.equals(issuer)) {
            throw new IOException("oidc: issuer did not match the issuer returned by provider, expected " + GoQuote.quote(issuer) + " got " + GoQuote.quote(got));
        }
        String jwks = doc.path("jwks_uri").asText("");
        if (jwks.isEmpty()) throw new IOException("oidc: discovery document of " + issuer + " has no jwks_uri");
        return jwks;
    }

    private static String trimTrailingSlash(String s) { return s.endsWith("/") ? s.substring(0, s.length() - 1) : s; }

    private static String abbreviate(String s) { return s.length() > 200 ? s.substring(0, 200) : s; }

    @Override
    public AuthResult authenticateToken(String token, List<String> audiences) {
        if (!issuer().equals(untrustedIssuer(token))) return AuthResult.none();
        RemoteKeySet ks = initialized();
        if (ks == null) return AuthResult.failed("oidc: authenticator not initialized");
        JsonNode claims;
        try {
            claims = verify(ks, token);
        } catch (RemoteKeySet.VerifyException e) {
            return AuthResult.failed("oidc: verify token: " + e.getMessage());
        }
        try {
            return AuthResult.ok(user(claims), List.of());
        } catch (ClaimException e) {
            return AuthResult.failed(e.getMessage());
        }
    }

    /** go-oidc's {@code IDTokenVerifier.Verify} plus kube's {@code verifyAudience}. */
    private JsonNode verify(RemoteKeySet ks, String token) throws RemoteKeySet.VerifyException {
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            throw new RemoteKeySet.VerifyException("oidc: malformed jwt: " + e.getMessage());
        }
        JsonNode claims;
        try {
            claims = Json.MAPPER.readTree(jws.getPayload().toBytes());
        } catch (IOException e) {
            throw new RemoteKeySet.VerifyException("oidc: failed to unmarshal claims: " + e.getMessage());
        }
        if (claims == null || !claims.isObject()) throw new RemoteKeySet.VerifyException("oidc: failed to unmarshal claims: not a JSON object");
        String iss = claims.path("iss").asText("");
        if (!iss.equals(issuer())) {
            throw new RemoteKeySet.VerifyException("oidc: id token issued by a different provider, expected " + GoQuote.quote(issuer()) + " got " + GoQuote.quote(iss));
        }
        List<String> aud = stringOrArray(claims.get("aud"));
        List<String> want = config.issuer().audiences();
        if (want.size() == 1) {
            if (!aud.contains(want.get(0))) {
                throw new RemoteKeySet.VerifyException("oidc: expected audience " + GoQuote.quote(want.get(0)) + " got " + goQuotedList(aud));
            }
        } else if (aud.stream().noneMatch(want::contains)) {
            throw new RemoteKeySet.VerifyException("oidc: expected audience in " + goQuotedList(want.stream().sorted().toList()) + " got " + goQuotedList(aud));
        }
        Instant now = clock.instant();
        Instant exp = numericDate(claims.get("exp"));
        if (exp.isBefore(now)) {
            throw new RemoteKeySet.VerifyException("oidc: token is expired (Token Expiry: " + GO_TIME.format(exp) + ")");
        }
        JsonNode nbfNode = claims.get("nbf");
        if (nbfNode != null && !nbfNode.isNull()) {
            Instant nbf = numericDate(nbfNode);
            if (now.plus(NBF_LEEWAY).isBefore(nbf)) {
                throw new RemoteKeySet.VerifyException("oidc: current time " + GO_TIME.format(now) + " before the nbf (not before) time: " + GO_TIME.format(nbf));
            }
        }
        String alg = jws.getHeader().getAlgorithm().getName();
        if (!ALGORITHMS.contains(alg)) {
            throw new RemoteKeySet.VerifyException("oidc: id token signed with unsupported algorithm, expected " + goQuotedList(ALGORITHMS_SORTED) + " got " + GoQuote.quote(alg));
        }
        try {
            ks.verify(jws);
        } catch (RemoteKeySet.VerifyException e) {
            throw new RemoteKeySet.VerifyException("failed to verify signature: " + e.getMessage());
        }
        return claims;
    }

    private static Instant numericDate(JsonNode n) {
        if (n == null || !n.isNumber()) return Instant.EPOCH.minusSeconds(62135596800L); // Go's zero time
        return Instant.ofEpochSecond(n.asLong());
    }

    /** kube's claim mappings and claim validation rules. */
    private UserInfo user(JsonNode c) throws ClaimException {
        AuthenticationConfiguration.ClaimMappings m = config.claimMappings();
        String usernameClaim = m.username().claim();
        String username = stringClaim(c, usernameClaim, "oidc: parse username claims " + GoQuote.quote(usernameClaim) + ": ");
        if (usernameClaim.equals("email") && c.has("email_verified")) {
            JsonNode v = c.get("email_verified");
            if (!v.isBoolean()) throw new ClaimException("oidc: parse 'email_verified' claim: json: cannot unmarshal " + jsonType(v) + " into Go value of type bool");
            if (!v.asBoolean()) throw new ClaimException("oidc: email not verified");
        }
        String up = m.username().prefix();
        if (up != null && !up.isEmpty()) username = up + username;

        List<String> groups = new ArrayList<>();
        String groupsClaim = m.groups().claim();
        if (!groupsClaim.isEmpty() && c.has(groupsClaim)) {
            JsonNode g = c.get(groupsClaim);
            String err = "oidc: parse groups claim " + GoQuote.quote(groupsClaim) + ": json: cannot unmarshal " + jsonType(g) + " into Go value of type string";
            if (g.isTextual()) groups.add(g.asText());
            else if (g.isArray()) {
                for (JsonNode x : g) {
                    if (!x.isTextual()) throw new ClaimException(err);
                    groups.add(x.asText());
                }
            } else if (!g.isNull()) throw new ClaimException(err);
            String gp = m.groups().prefix();
            if (gp != null && !gp.isEmpty()) groups.replaceAll(s -> gp + s);
        }
        String uid = "";
        if (!m.uidClaim().isEmpty()) uid = stringClaim(c, m.uidClaim(), "oidc: parse uid claim " + GoQuote.quote(m.uidClaim()) + ": ");

        for (AuthenticationConfiguration.ClaimValidationRule r : config.claimValidationRules()) {
            if (!c.has(r.claim())) throw new ClaimException("oidc: required claim " + r.claim() + " not present in ID token");
            JsonNode v = c.get(r.claim());
            if (!v.isTextual() && !v.isNull()) {
                throw new ClaimException("oidc: parse claim " + r.claim() + ": json: cannot unmarshal " + jsonType(v) + " into Go value of type string");
            }
            String got = v.isNull() ? "" : v.asText();
            if (!got.equals(r.requiredValue())) {
                throw new ClaimException("oidc: required claim " + r.claim() + " value does not match. Got = " + got + ", want = " + r.requiredValue());
            }
        }
        return new UserInfo(username, uid, List.copyOf(groups), Map.of());
    }

    private static String stringClaim(JsonNode c, String claim, String prefix) throws ClaimException {
        if (!c.has(claim)) throw new ClaimException(prefix + "claim not present");
        JsonNode v = c.get(claim);
        if (v.isNull()) return "";
        if (!v.isTextual()) throw new ClaimException(prefix + "json: cannot unmarshal " + jsonType(v) + " into Go value of type string");
        return v.asText();
    }

    private static String jsonType(JsonNode n) {
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        if (n.isArray()) return "array";
        if (n.isObject()) return "object";
        return "null";
    }

    static List<String> stringOrArray(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isTextual()) out.add(n.asText());
        else if (n.isArray()) for (JsonNode x : n) if (x.isTextual()) out.add(x.asText());
        return out;
    }

    static String goQuotedList(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(GoQuote.quote(l.get(i)));
        }
        return sb.append(']').toString();
    }

    /** The unverified {@code iss} of a compact JWT, or null (upstream's {@code untrustedIssuer}). */
    static String untrustedIssuer(String token) {
        if (token.strip().startsWith("{")) return null;
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].contains("=")) return null;
        try {
            JsonNode c = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (c == null || !c.isObject()) return null;
            JsonNode iss = c.get("iss");
            if (iss == null || iss.isNull()) return "";
            if (!iss.isTextual()) return null;
            String s = iss.asText();
            return s.equals("accounts.google.com") ? "https://accounts.google.com" : s;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private static final class ClaimException extends Exception {
        ClaimException(String m) { super(m, null, false, false); }
    }
}
