package dev.strongroom.server.authn;

import dev.strongroom.server.transport.ApiRequest;

/** One way of proving identity. Returns null when the request carries no credential this method understands. */
public interface Authenticator {
    /**
     * @return the user, or null if this authenticator does not apply
     * @throws AuthenticationFailed if the request carries a credential of this kind that is invalid
     */
    UserInfo authenticate(ApiRequest request);

    /** A credential was presented but is not valid. Carries no credential material. */
    final class AuthenticationFailed extends RuntimeException {
        public AuthenticationFailed(String why) { super(why, null, false, false); }
    }
}
