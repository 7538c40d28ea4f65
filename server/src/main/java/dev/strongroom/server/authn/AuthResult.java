package dev.strongroom.server.authn;

import java.util.List;

/**
 * What one authenticator concluded, as upstream's {@code (*authenticator.Response, ok bool, err error)}:
 * it did not apply, it failed (the credential was presented but is not valid), or it authenticated a user for some
 * audiences. The error text never contains credential material.
 */
public record AuthResult(UserInfo user, List<String> audiences, String error) {
    private static final AuthResult NONE = new AuthResult(null, List.of(), null);

    /** Not a credential this authenticator understands (upstream: {@code nil, false, nil}). */
    public static AuthResult none() { return NONE; }

    /** A credential of this kind that is not valid (upstream: {@code nil, false, err}). */
    public static AuthResult failed(String error) { return new AuthResult(null, List.of(), error); }

    /** Authenticated; {@code audiences} are those the credential is valid for (may be empty). */
    public static AuthResult ok(UserInfo user, List<String> audiences) { return new AuthResult(user, List.copyOf(audiences), null); }

    public boolean authenticated() { return user != null; }

    public boolean failed() { return user == null && error != null; }

    public AuthResult withUser(UserInfo u) { return new AuthResult(u, audiences, error); }
}
