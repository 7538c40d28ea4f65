package dev.strongroom.server.authn;

import java.util.ArrayList;
import java.util.List;

/** apiserver's {@code authenticator.Audiences} helpers. */
public final class Audiences {
    private Audiences() {}

    /** The members of {@code a} that are also in {@code b}, in {@code a}'s order (upstream {@code Intersect}). */
    public static List<String> intersect(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        if (a == null || b == null) return out;
        for (String x : a) if (b.contains(x) && !out.contains(x)) out.add(x);
        return out;
    }

    /**
     * {@code authenticator.WrapAudienceAgnosticToken}/{@code Request}: an authenticator that knows nothing of
     * audiences (static tokens, client certificates, OIDC) only answers when the requested audiences include one of
     * the API audiences, and its answer is then valid for those.
     */
    public static Authenticator.Token agnosticToken(List<String> apiAudiences, Authenticator.Token delegate) {
        return (token, requested) -> {
            List<String> auds = intersect(apiAudiences, requested);
            if (auds.isEmpty()) return AuthResult.none();
            AuthResult r = delegate.authenticateToken(token, requested);
            if (!r.authenticated()) return r.failed() ? r : AuthResult.none();
            return AuthResult.ok(r.user(), auds);
        };
    }

    public static Authenticator agnosticRequest(List<String> apiAudiences, Authenticator delegate) {
        return (credentials, requested) -> {
            List<String> auds = intersect(apiAudiences, requested);
            if (auds.isEmpty()) return AuthResult.none();
            AuthResult r = delegate.authenticate(credentials, requested);
            if (!r.authenticated()) return r.failed() ? r : AuthResult.none();
            return AuthResult.ok(r.user(), auds);
        };
    }
}
