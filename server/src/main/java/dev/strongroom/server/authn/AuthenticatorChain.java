package dev.strongroom.server.authn;

import dev.strongroom.server.transport.ApiRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's authentication stack, in its order: the union of all authenticators (client certificates, then
 * bearer tokens), first success wins and errors do not stop the others; then {@code AuthenticatedGroupAdder}; then,
 * only if {@code --anonymous-auth}, anonymous for requests that carried no credential any authenticator understood
 * (a bad credential stays a 401: {@code union.NewFailOnError}). Finally the API-audience check of the
 * authentication filter.
 */
public final class AuthenticatorChain {
    private final List<Authenticator> authenticators;
    private final boolean anonymousAllowed;
    private final List<String> anonymousPaths;
    private final List<String> apiAudiences;

    /**
     * @param anonymousPaths when anonymous is allowed, the only request paths it applies to (the AuthenticationConfiguration's
     *                       {@code anonymous.conditions}); empty for every path
     */
    public AuthenticatorChain(List<Authenticator> authenticators, boolean anonymousAllowed, List<String> anonymousPaths, List<String> apiAudiences) {
        this.authenticators = List.copyOf(authenticators);
        this.anonymousAllowed = anonymousAllowed;
        this.anonymousPaths = List.copyOf(anonymousPaths);
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    /** @return the user, {@link UserInfo#ANONYMOUS} if allowed, or null when the request is unauthenticated */
    public UserInfo authenticate(ApiRequest request) {
        AuthResult r = authenticate(Credentials.of(request), apiAudiences, request.path());
        if (!r.authenticated()) return null;
        // The authentication filter: a credential valid only for other audiences is no login here.
        if (!apiAudiences.isEmpty() && !r.audiences().isEmpty() && Audiences.intersect(apiAudiences, r.audiences()).isEmpty()) return null;
        return r.user();
    }

    /** The whole stack for {@code credentials} and the requested audiences (TokenReview uses this directly). */
    public AuthResult authenticate(Credentials credentials, List<String> audiences) {
        return authenticate(credentials, audiences, "");
    }

    private AuthResult authenticate(Credentials credentials, List<String> audiences, String path) {
        AuthResult r = union(credentials, audiences);
        if (r.authenticated()) return r.withUser(withAuthenticatedGroup(r.user()));
        if (r.failed() || !anonymousAllowed) return r;
        if (!anonymousPaths.isEmpty() && !anonymousPaths.contains(path)) return r;
        return AuthResult.ok(UserInfo.ANONYMOUS, List.of());
    }

    private AuthResult union(Credentials credentials, List<String> audiences) {
        List<String> errors = new ArrayList<>();
        for (Authenticator a : authenticators) {
            AuthResult r = a.authenticate(credentials, audiences);
            if (r.authenticated()) return r;
            if (r.failed()) errors.add(r.error());
        }
        return errors.isEmpty() ? AuthResult.none() : AuthResult.failed(BearerTokenAuthenticator.aggregate(errors));
    }

    /** {@code group.AuthenticatedGroupAdder}: everyone but the anonymous user is in {@code system:authenticated}. */
    static UserInfo withAuthenticatedGroup(UserInfo u) {
        if (u.name().equals(UserInfo.ANONYMOUS.name())) return u;
        for (String g : u.groups()) if (g.equals(UserInfo.AUTHENTICATED) || g.equals(UserInfo.UNAUTHENTICATED)) return u;
        List<String> groups = new ArrayList<>(u.groups());
        groups.add(UserInfo.AUTHENTICATED);
        return new UserInfo(u.name(), u.uid(), List.copyOf(groups), u.extra());
    }

    public List<String> apiAudiences() { return apiAudiences; }
}
