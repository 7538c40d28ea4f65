package dev.strongroom.server.authn;

import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.authn.oidc.AuthenticationConfiguration;
import dev.strongroom.server.authn.oidc.JwtAuthenticator;
import dev.strongroom.server.authn.serviceaccount.IssuerDiscovery;
import dev.strongroom.server.authn.serviceaccount.ServiceAccountKeys;
import dev.strongroom.server.authn.serviceaccount.ServiceAccountTokenAuthenticator;
import dev.strongroom.server.authn.serviceaccount.ServiceAccountTokens;
import dev.strongroom.server.authn.serviceaccount.TokenRequestHandler;
import dev.strongroom.server.authn.x509.ClientCertificateAuthenticator;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.registry.Registry;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.Resources;
import dev.strongroom.server.registry.reviews.authentication.AuthenticationReviews;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Assembles authentication: every method kube-apiserver has, all on at once, first success wins (client
 * certificates, then bearer tokens: static tokens, service-account tokens, JWT issuers). Also contributes the
 * authentication endpoints (TokenReview, SelfSubjectReview, {@code serviceaccounts/token}) and the service-account
 * issuer's discovery documents.
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
     * @throws IllegalArgumentException for invalid flag values or an invalid authentication configuration
     */
    public static Authentication build(ServerOptions o, DataDirectory dir, Registry registry, Clock clock, String adminTokenSha256)
            throws IOException {
        AuthenticationOptions ao = o.authentication() == null ? AuthenticationOptions.defaults() : o.authentication();
        String external = externalAddress(o);
        List<String> issuers = ao.serviceAccountIssuers().isEmpty() ? List.of("https://" + external) : ao.serviceAccountIssuers();
        validateIssuers(issuers);
        List<String> apiAudiences = ao.apiAudiences().isEmpty() ? issuers : ao.apiAudiences();
        long maxExpiration = maxExpirationSeconds(ao.serviceAccountMaxTokenExpiration());

        AuthenticationConfiguration config = null;
        if (ao.authenticationConfig() != null) {
            try {
                config = AuthenticationConfiguration.load(ao.authenticationConfig(), issuers);
            } catch (AuthenticationConfiguration.ConfigException e) {
                throw new IllegalArgumentException("--authentication-config " + ao.authenticationConfig() + ": " + e.getMessage(), e);
            }
            if (config.anonymous() != null && o.anonymousAuth()) {
                throw new IllegalArgumentException("anonymous is configured in the authentication configuration and --anonymous-auth flag cannot be set");
            }
        }

        List<Authenticator> authenticators = new ArrayList<>();
        if (o.clientCaFile() != null) {
            authenticators.add(Audiences.agnosticRequest(apiAudiences,
                    new ClientCertificateAuthenticator(ClientCertificateAuthenticator.readBundle(o.clientCaFile()), clock)));
        }

        List<Authenticator.Token> tokens = new ArrayList<>();
        TokenAuthenticator.Builder staticTokens = TokenAuthenticator.builder()
                .addDigest(adminTokenSha256, new UserInfo("strongroom-admin", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED), Map.of()));
        if (o.tokenAuthFile() != null) staticTokens.addTokenFile(o.tokenAuthFile());
        tokens.add(Audiences.agnosticToken(apiAudiences, staticTokens.build()));

        ServiceAccountKeys keys = ServiceAccountKeys.load(ao.serviceAccountSigningKeyFile(), ao.serviceAccountKeyFiles(),
                dir.root().resolve("pki").resolve("sa.key"));
        tokens.add(new ServiceAccountTokenAuthenticator(issuers, keys, apiAudiences, registry.store(Resources.SERVICE_ACCOUNTS),
                registry.store(Resources.SECRETS), clock));
        if (config != null) {
            for (AuthenticationConfiguration.Jwt jwt : config.jwt()) tokens.add(Audiences.agnosticToken(apiAudiences, new JwtAuthenticator(jwt, clock)));
        }
        authenticators.add(new BearerTokenAuthenticator(tokens));

        boolean anonymous = o.anonymousAuth();
        List<String> anonymousPaths = List.of();
        if (config != null && config.anonymous() != null) {
            anonymous = config.anonymous().enabled();
            anonymousPaths = config.anonymous().paths();
        }
        AuthenticatorChain chain = new AuthenticatorChain(authenticators, anonymous, anonymousPaths, apiAudiences);

        ServiceAccountTokens minter = new ServiceAccountTokens(keys, issuers.get(0));
        ResourceHandler serviceAccounts = registry.handler(Resources.SERVICE_ACCOUNTS);
        if (serviceAccounts != null) {
            serviceAccounts.withSubresource(new TokenRequestHandler(minter, registry.store(Resources.SECRETS), apiAudiences, maxExpiration, clock).subresource());
        }
        List<Endpoint> endpoints = AuthenticationReviews.endpoints(() -> chain, apiAudiences, clock);
        Map<String, Function<ApiRequest, ApiResponse>> paths = IssuerDiscovery.paths(issuers.get(0), ao.serviceAccountJwksUri(), external, keys);
        return new Authentication(chain, endpoints, paths);
    }

    /** Where clients reach the server: the advertise address (else a concrete bind address) and the port. */
    static String externalAddress(ServerOptions o) {
        String host = o.advertiseAddress() != null ? o.advertiseAddress()
                : (o.bindAddress().equals("0.0.0.0") || o.bindAddress().equals("::") ? "127.0.0.1" : o.bindAddress());
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + o.securePort();
    }

    /** kube-apiserver's checks of {@code --service-account-issuer}. */
    static void validateIssuers(List<String> issuers) {
        Set<String> seen = new HashSet<>();
        for (String i : issuers) {
            if (i.isEmpty()) throw new IllegalArgumentException("service-account-issuer should not be an empty string");
            if (!seen.add(i)) throw new IllegalArgumentException("service-account-issuer " + i + " is already specified");
            if (i.contains(":")) {
                try {
                    new URI(i).parseServerAuthority();
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("service-account-issuer contained a ':' but was not a valid URL: " + e.getMessage());
                }
            }
        }
    }

    static long maxExpirationSeconds(Duration d) {
        if (d == null || d.isZero()) return 0;
        if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(Duration.ofSeconds(1L << 32)) > 0) {
            throw new IllegalArgumentException("the service-account-max-token-expiration must be between 1 hour and 2^32 seconds");
        }
        return d.getSeconds();
    }

    public AuthenticatorChain chain() { return chain; }

    /** Create-only endpoints to serve (TokenReview, SelfSubjectReview). */
    public List<Endpoint> endpoints() { return endpoints; }

    /** Non-resource GET paths served to anyone (/.well-known/openid-configuration, /openid/v1/jwks), by exact path. */
    public Map<String, Function<ApiRequest, ApiResponse>> publicPaths() { return publicPaths; }
}
