package dev.strongroom.server.authn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Authorization: Bearer <token>} (apiserver's {@code request/bearertoken}) over the union of the token
 * authenticators (static tokens, service-account tokens, JWT issuers): the first that authenticates wins; if none
 * does, their errors are aggregated, and a token nobody recognised is {@code invalid bearer token}.
 */
public final class BearerTokenAuthenticator implements Authenticator {
    static final String INVALID_TOKEN = "invalid bearer token";

    private final List<Authenticator.Token> tokens;

    public BearerTokenAuthenticator(List<Authenticator.Token> tokens) { this.tokens = List.copyOf(tokens); }

    @Override
    public AuthResult authenticate(Credentials credentials, List<String> audiences) {
        String header = credentials.authorization();
        if (header == null) return AuthResult.none();
        String auth = header.strip();
        if (auth.isEmpty()) return AuthResult.none();
        // strings.SplitN(auth, " ", 3): "Bearer  x" yields an empty token (refused), "Bearer x y" the token "x".
        String[] parts = auth.split(" ", 3);
        if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer")) return AuthResult.none();
        String token = parts[1];
        if (token.isEmpty()) return AuthResult.none();
        AuthResult r = union(token, audiences);
        if (!r.authenticated() && !r.failed()) return AuthResult.failed(INVALID_TOKEN);
        return r;
    }

    private AuthResult union(String token, List<String> audiences) {
        List<String> errors = new ArrayList<>();
        for (Authenticator.Token t : tokens) {
            AuthResult r = t.authenticateToken(token, audiences);
            if (r.authenticated()) return r;
            if (r.failed()) errors.add(r.error());
        }
        return errors.isEmpty() ? AuthResult.none() : AuthResult.failed(aggregate(errors));
    }

    /** apimachinery's {@code utilerrors.NewAggregate(errs).Error()}: one message, or {@code [a, b]}, de-duplicated. */
    public static String aggregate(List<String> errors) {
        List<String> seen = new ArrayList<>();
        for (String e : errors) if (!seen.contains(e)) seen.add(e);
        if (seen.size() == 1) return seen.get(0);
        return "[" + String.join(", ", seen) + "]";
    }
}
