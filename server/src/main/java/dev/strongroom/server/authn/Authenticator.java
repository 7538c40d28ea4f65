package dev.strongroom.server.authn;

import java.util.List;

/**
 * One way of proving identity from a request's credentials (upstream's {@code authenticator.Request}).
 *
 * <p>{@code audiences} are the audiences the caller asks for (upstream's context audiences): the API audiences for
 * ordinary requests, or a TokenReview's {@code spec.audiences}.
 */
public interface Authenticator {
    AuthResult authenticate(Credentials credentials, List<String> audiences);

    /** One way of verifying a bearer token (upstream's {@code authenticator.Token}). */
    interface Token {
        AuthResult authenticateToken(String token, List<String> audiences);
    }
}
