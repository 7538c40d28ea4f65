package dev.strongroom.server.authn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Authentication flags beyond {@code --token-auth-file}, {@code --client-ca-file} and {@code --anonymous-auth},
 * named as kube-apiserver names them.
 *
 * @param authenticationConfig             {@code --authentication-config}: JWT issuers (AuthenticationConfiguration)
 * @param serviceAccountIssuers            {@code --service-account-issuer} (repeatable; the first signs). Empty: the server URL
 * @param apiAudiences                     {@code --api-audiences}. Empty: the service-account issuers
 * @param serviceAccountMaxTokenExpiration {@code --service-account-max-token-expiration}; null for no cap
 * @param serviceAccountSigningKeyFile     {@code --service-account-signing-key-file}; null to generate one at init
 * @param serviceAccountKeyFiles           {@code --service-account-key-file} (repeatable): more verification keys
 * @param serviceAccountJwksUri            {@code --service-account-jwks-uri}; null for https://&lt;advertise&gt;:&lt;port&gt;/openid/v1/jwks
 */
public record AuthenticationOptions(Path authenticationConfig, List<String> serviceAccountIssuers, List<String> apiAudiences,
                                    Duration serviceAccountMaxTokenExpiration, Path serviceAccountSigningKeyFile,
                                    List<Path> serviceAccountKeyFiles, String serviceAccountJwksUri) {
    public AuthenticationOptions {
        serviceAccountIssuers = serviceAccountIssuers == null ? List.of() : List.copyOf(serviceAccountIssuers);
        apiAudiences = apiAudiences == null ? List.of() : List.copyOf(apiAudiences);
        serviceAccountKeyFiles = serviceAccountKeyFiles == null ? List.of() : List.copyOf(serviceAccountKeyFiles);
    }

    public static AuthenticationOptions defaults() {
        return new AuthenticationOptions(null, List.of(), List.of(), null, null, List.of(), null);
    }

    public AuthenticationOptions withAuthenticationConfig(Path p) {
        return new AuthenticationOptions(p, serviceAccountIssuers, apiAudiences, serviceAccountMaxTokenExpiration, serviceAccountSigningKeyFile, serviceAccountKeyFiles, serviceAccountJwksUri);
    }

    public AuthenticationOptions withServiceAccountIssuers(List<String> issuers) {
        return new AuthenticationOptions(authenticationConfig, issuers, apiAudiences, serviceAccountMaxTokenExpiration, serviceAccountSigningKeyFile, serviceAccountKeyFiles, serviceAccountJwksUri);
    }

    public AuthenticationOptions withApiAudiences(List<String> auds) {
        return new AuthenticationOptions(authenticationConfig, serviceAccountIssuers, auds, serviceAccountMaxTokenExpiration, serviceAccountSigningKeyFile, serviceAccountKeyFiles, serviceAccountJwksUri);
    }

    public AuthenticationOptions withServiceAccountMaxTokenExpiration(Duration d) {
        return new AuthenticationOptions(authenticationConfig, serviceAccountIssuers, apiAudiences, d, serviceAccountSigningKeyFile, serviceAccountKeyFiles, serviceAccountJwksUri);
    }

    public AuthenticationOptions withServiceAccountKeys(Path signingKeyFile, List<Path> keyFiles) {
        return new AuthenticationOptions(authenticationConfig, serviceAccountIssuers, apiAudiences, serviceAccountMaxTokenExpiration, signingKeyFile, keyFiles, serviceAccountJwksUri);
    }

    public AuthenticationOptions withServiceAccountJwksUri(String uri) {
        return new AuthenticationOptions(authenticationConfig, serviceAccountIssuers, apiAudiences, serviceAccountMaxTokenExpiration, serviceAccountSigningKeyFile, serviceAccountKeyFiles, uri);
    }
}
