package dev.strongroom.server.authn.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.Audiences;
import dev.strongroom.server.authn.AuthResult;
import dev.strongroom.server.authn.Authenticator;
import dev.strongroom.server.authn.BearerTokenAuthenticator;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies bound service-account tokens as kube-apiserver's {@code serviceaccount.JWTTokenAuthenticator} with the
 * {@code claims.go} validator: only tokens whose (unverified) {@code iss} is one of the service-account issuers are
 * considered; the signature must verify with a key of the token's {@code kid}; the token's audiences must intersect
 * the requested ones; {@code nbf}, {@code exp} and {@code iat} are checked with go-jose's one-minute leeway; the
 * ServiceAccount must still exist with the UID in the token, and a bound Secret likewise.
 */
public final class ServiceAccountTokenAuthenticator implements Authenticator.Token {
    static final long LEEWAY_SECONDS = 60;
    private static final String CRYPTO_FAILURE = "square/go-jose: error in cryptographic primitive";

    private final Set<String> issuers;
    private final ServiceAccountKeys keys;
    private final List<String> implicitAudiences;
    private final ResourceStore serviceAccounts;
    private final ResourceStore secrets;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(List<String> issuers, ServiceAccountKeys keys, List<String> implicitAudiences,
                                            ResourceStore serviceAccounts, ResourceStore secrets, Clock clock) {
        this.issuers = Set.copyOf(issuers);
        this.keys = keys;
        this.implicitAudiences = List.copyOf(implicitAudiences);
        this.serviceAccounts = serviceAccounts;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public AuthResult authenticateToken(String token, List<String> requested) {
        Jws jws = Jws.parse(token);
        if (jws == null || !issuers.contains(jws.claims().path("iss").asText(null))) return AuthResult.none();
        String kid = jws.header().path("kid").asText("");
        List<ServiceAccountKeys.VerificationKey> candidates = keys.keysFor(kid);
        if (candidates.isEmpty()) return AuthResult.failed("invalid signature, no keys found");
        String alg = jws.header().path("alg").asText("");
        boolean verified = false;
        List<String> errors = new ArrayList<>();
        for (ServiceAccountKeys.VerificationKey k : candidates) {
            if (ServiceAccountKeys.verify(k, alg, jws.signingInput(), jws.signature())) {
                verified = true;
                break;
            }
            errors.add(CRYPTO_FAILURE);
        }
        if (!verified) return AuthResult.failed(BearerTokenAuthenticator.aggregate(errors));
        JsonNode c = jws.claims();
        String iss = c.path("iss").asText("");
        if (!issuers.contains(iss)) return AuthResult.failed("token issuer \"" + iss + "\" is invalid");

        List<String> tokenAudiences = stringOrArray(c.get("aud"));
        if (tokenAudiences.isEmpty()) tokenAudiences = implicitAudiences; // legacy tokens: API audiences only
        List<String> wanted = requested == null ? implicitAudiences : requested;
        List<String> auds = Audiences.intersect(tokenAudiences, wanted);
        if (auds.isEmpty() && !implicitAudiences.isEmpty()) {
            return AuthResult.failed("token audiences " + goQuotedList(tokenAudiences) + " is invalid for the target audiences " + goQuotedList(wanted));
        }
        return validate(c, auds);
    }

    /** {@code claims.go} {@code validator.Validate}. */
    private AuthResult validate(JsonNode c, List<String> auds) {
        Instant now = clock.instant();
        // go-jose compares times at nanosecond precision against whole-second claims.
        if (c.hasNonNull("nbf") && now.plusSeconds(LEEWAY_SECONDS).isBefore(Instant.ofEpochSecond(c.get("nbf").asLong()))) {
            return AuthResult.failed("service account token is not valid yet");
        }
        if (c.hasNonNull("exp") && now.minusSeconds(LEEWAY_SECONDS).isAfter(Instant.ofEpochSecond(c.get("exp").asLong()))) {
            return AuthResult.failed("service account token has expired");
        }
        if (c.hasNonNull("iat") && now.plusSeconds(LEEWAY_SECONDS).isBefore(Instant.ofEpochSecond(c.get("iat").asLong()))) {
            return AuthResult.failed("service account token claims could not be validated due to unexpected validation error");
        }
        JsonNode k8s = c.path("kubernetes.io");
        String namespace = k8s.path("namespace").asText("");
        String saName = k8s.path("serviceaccount").path("name").asText("");
        String saUid = k8s.path("serviceaccount").path("uid").asText("");
        ResourceStore.Stored sa = serviceAccounts.get(namespace, saName);
        if (sa == null) return AuthResult.failed("serviceaccounts \"" + saName + "\" not found");
        Instant invalidIfDeletedBefore = now.minusSeconds(LEEWAY_SECONDS);
        if (deletedBefore(sa, invalidIfDeletedBefore)) {
            return AuthResult.failed("service account " + namespace + "/" + saName + " has been deleted");
        }
        String actualUid = Meta.str(sa.object().get("metadata"), "uid");
        if (!actualUid.equals(saUid)) {
            return AuthResult.failed("service account UID (" + actualUid + ") does not match claim (" + saUid + ")");
        }
        JsonNode secretRef = k8s.get("secret");
        if (secretRef != null && !secretRef.isNull()) {
            String secretName = secretRef.path("name").asText("");
            ResourceStore.Stored secret = secrets.get(namespace, secretName);
            if (secret == null || deletedBefore(secret, invalidIfDeletedBefore)) {
                return AuthResult.failed("service account token has been invalidated");
            }
            String secretUid = Meta.str(secret.object().get("metadata"), "uid");
            String claimUid = secretRef.path("uid").asText("");
            if (!claimUid.equals(secretUid)) {
                return AuthResult.failed("secret UID (" + secretUid + ") does not match service account secret ref claim (" + claimUid + ")");
            }
        }
        if (k8s.hasNonNull("pod") || k8s.hasNonNull("node")) {
            // Strongroom has no pods or nodes, so a token bound to one cannot be live here.
            return AuthResult.failed("service account token has been invalidated");
        }
        String jti = c.path("jti").asText("");
        Map<String, List<String>> extra = jti.isEmpty() ? Map.of() : Map.of(UserInfo.CREDENTIAL_ID, List.of("JTI=" + jti));
        UserInfo user = new UserInfo(UserInfo.serviceAccountUsername(namespace, saName), saUid,
                UserInfo.serviceAccountGroups(namespace), extra);
        return AuthResult.ok(user, auds);
    }

    private static boolean deletedBefore(ResourceStore.Stored s, Instant before) {
        String ts = Meta.str(s.object().get("metadata"), "deletionTimestamp");
        return !ts.isEmpty() && Meta.parseTime(ts).isBefore(before);
    }

    static List<String> stringOrArray(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (n.isArray()) for (JsonNode x : n) if (x.isTextual()) out.add(x.asText());
        return out;
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String goQuotedList(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(dev.strongroom.api.errors.GoQuote.quote(l.get(i)));
        }
        return sb.append(']').toString();
    }

    /** A compact JWS split into its parts, or null if the token is not one (upstream then ignores it). */
    record Jws(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {
        static Jws parse(String token) {
            if (token.strip().startsWith("{")) return null;
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) return null;
            try {
                Base64.Decoder d = Base64.getUrlDecoder();
                if (parts[0].contains("=") || parts[1].contains("=") || parts[2].contains("=")) return null;
                JsonNode header = Json.MAPPER.readTree(d.decode(parts[0]));
                JsonNode claims = Json.MAPPER.readTree(d.decode(parts[1]));
                if (header == null || !header.isObject() || claims == null || !claims.isObject()) return null;
                byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
                return new Jws(header, claims, input, d.decode(parts[2]));
            } catch (IllegalArgumentException | java.io.IOException e) {
                return null;
            }
        }
    }
}
