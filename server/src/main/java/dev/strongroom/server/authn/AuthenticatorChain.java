package dev.strongroom.server.authn;

import dev.strongroom.server.transport.ApiRequest;

import java.util.List;

/** Tries each authenticator in turn; the first that recognises the request decides (kube-apiserver's union). */
public final class AuthenticatorChain {
    private final List<Authenticator> authenticators;
    private final boolean anonymousAllowed;

    public AuthenticatorChain(List<Authenticator> authenticators, boolean anonymousAllowed) {
        this.authenticators = List.copyOf(authenticators);
        this.anonymousAllowed = anonymousAllowed;
    }

    /** @return the user, {@link UserInfo#ANONYMOUS} if allowed, or null when the request is unauthenticated */
    public UserInfo authenticate(ApiRequest request) {
        boolean presented = request.header("Authorization") != null || request.hasClientCertificate();
        for (Authenticator a : authenticators) {
            try {
                UserInfo u = a.authenticate(request);
                if (u != null) return u;
            } catch (Authenticator.AuthenticationFailed e) {
                return null;
            }
        }
        // kube-apiserver only falls back to anonymous when no credential was presented at all.
        return anonymousAllowed && !presented ? UserInfo.ANONYMOUS : null;
    }
}
