package dev.strongroom.server.authn.serviceaccount;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Mints bound service-account tokens as kube-apiserver's {@code serviceaccount.Claims} + {@code JWTTokenGenerator}:
 * header {@code {"alg":…,"kid":…}}, and claims serialised with sorted keys (go-jose normalises them through a map):
 * {@code aud} (always an array), {@code exp}, {@code iat}, {@code iss}, {@code jti}, {@code kubernetes.io}
 * ({@code namespace}, {@code secret} when bound to a Secret, {@code serviceaccount}), {@code nbf}, {@code sub}.
 */
public final class ServiceAccountTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ServiceAccountKeys keys;
    private final String issuer;

    public ServiceAccountTokens(ServiceAccountKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public String issuer() { return issuer; }

    /** A reference to a bound object: {@code {"name":…,"uid":…}}. */
    public record Ref(String name, String uid) {}

    /**
     * @param secret the Secret the token is bound to, or null
     */
    public String mint(String namespace, Ref serviceAccount, Ref secret, List<String> audiences, Instant now, long expirationSeconds) {
        ObjectNode header = Json.object();
        header.put("alg", keys.signingAlgorithm());
        header.put("kid", keys.signingKeyId());

        long iat = now.getEpochSecond();
        ObjectNode claims = Json.object(); // keys added in sorted order
        ArrayNode aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        claims.put("exp", iat + expirationSeconds);
        claims.put("iat", iat);
        claims.put("iss", issuer);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        if (secret != null) ref(k8s.putObject("secret"), secret);
        ref(k8s.putObject("serviceaccount"), serviceAccount);
        claims.put("nbf", iat);
        claims.put("sub", UserInfo.serviceAccountUsername(namespace, serviceAccount.name()));

        String signingInput = B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(claims));
        byte[] sig = keys.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(sig);
    }

    private static void ref(ObjectNode o, Ref r) {
        // omitempty on both fields
        if (!r.name().isEmpty()) o.put("name", r.name());
        if (!r.uid().isEmpty()) o.put("uid", r.uid());
    }

}
