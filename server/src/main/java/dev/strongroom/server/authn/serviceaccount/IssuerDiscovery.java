package dev.strongroom.server.authn.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The service-account issuer's OpenID Connect discovery documents ({@code pkg/serviceaccount/openidmetadata.go}):
 * {@code /.well-known/openid-configuration} and {@code /openid/v1/jwks}, so that other systems can verify
 * Strongroom-issued tokens. Served only when the issuer is an https URL without query or fragment, as upstream.
 */
public final class IssuerDiscovery {
    public static final String OPENID_CONFIG_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";
    /** Upstream's {@code mdMaxAge}: one hour. */
    static final String CACHE_CONTROL = "public, max-age=3600";

    private IssuerDiscovery() {}

    /**
     * @param jwksUri         {@code --service-account-jwks-uri}, or null for {@code https://<externalAddress>/openid/v1/jwks}
     * @param externalAddress host:port clients reach the server at
     * @return the public GET paths, or an empty map when the issuer is not an https URL
     */
    public static Map<String, Function<ApiRequest, ApiResponse>> paths(String issuer, String jwksUri, String externalAddress, ServiceAccountKeys keys) {
        Map<String, Function<ApiRequest, ApiResponse>> out = new LinkedHashMap<>();
        if (!isHttpsUrl(issuer)) return out;
        ObjectNode md = Json.object();
        md.put("issuer", issuer);
        md.put("jwks_uri", jwksUri != null && !jwksUri.isEmpty() ? jwksUri : "https://" + externalAddress + JWKS_PATH);
        md.putArray("response_types_supported").add("id_token");
        md.putArray("subject_types_supported").add("public");
        var algs = md.putArray("id_token_signing_alg_values_supported");
        keys.algorithms().forEach(algs::add);
        byte[] config = Json.bytes(md);
        byte[] jwks = Json.bytes(keys.jwks());
        out.put(OPENID_CONFIG_PATH, req -> doc(config, "application/json"));
        out.put(JWKS_PATH, req -> doc(jwks, "application/jwk-set+json"));
        return out;
    }

    private static ApiResponse doc(byte[] body, String contentType) {
        ApiResponse.Full r = new ApiResponse.Full(200, contentType, body);
        r.headers().put("Cache-Control", CACHE_CONTROL);
        return r;
    }

    static boolean isHttpsUrl(String s) {
        try {
            URI u = new URI(s);
            return "https".equals(u.getScheme()) && u.getRawQuery() == null && u.getRawFragment() == null && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
