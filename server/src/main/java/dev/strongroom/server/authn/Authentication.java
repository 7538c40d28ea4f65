package dev.strongroom.server.authn;

import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.registry.Registry;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Assembles authentication: every method kube-apiserver has, all on at once, first success wins. Also contributes
 * the authentication-related endpoints (reviews, token subresource, OIDC discovery documents).
 */
public final class Authentication {
    private final AuthenticatorChain chain;
    private final List<Endpoint> endpoints;
    private final Map<String, Function<ApiRequest, ApiResponse>> publicPaths;

    private Authentication(AuthenticatorChain chain, List<Endpoint> endpoints, Map<String, Function<ApiRequest, ApiResponse>> publicPaths) {
        this.chain = chain;
        this.endpoints = endpoints;
        this.publicPaths = publicPaths;
    }

    /**
     * @param adminTokenSha256 hex SHA-256 of the bootstrap admin token
     */
    public static Authentication build(ServerOptions o, DataDirectory dir, Registry registry, Clock clock, String adminTokenSha256)
            throws IOException {
        List<Authenticator> authenticators = new ArrayList<>();
        TokenAuthenticator.Builder tokens = TokenAuthenticator.builder()
                .addDigest(adminTokenSha256, new UserInfo("strongroom-admin", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED), Map.of()));
        if (o.tokenAuthFile() != null) tokens.addTokenFile(o.tokenAuthFile());
        authenticators.add(tokens.build());
        return new Authentication(new AuthenticatorChain(authenticators, o.anonymousAuth()), List.of(), new LinkedHashMap<>());
    }

    public AuthenticatorChain chain() { return chain; }

    /** Create-only endpoints to serve (e.g. TokenReview, SelfSubjectReview). */
    public List<Endpoint> endpoints() { return endpoints; }

    /** Non-resource GET paths served to anyone (e.g. /.well-known/openid-configuration), by exact path. */
    public Map<String, Function<ApiRequest, ApiResponse>> publicPaths() { return publicPaths; }
}
