package dev.strongroom.server.authn;

import dev.strongroom.server.transport.ApiRequest;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The credential-bearing parts of a request: the {@code Authorization} header and the TLS peer chain. TokenReview
 * builds one holding nothing but {@code Bearer <token>}, as upstream builds a fake request.
 */
public record Credentials(String authorization, List<X509Certificate> peerCertificates) {
    public Credentials {
        peerCertificates = peerCertificates == null ? List.of() : List.copyOf(peerCertificates);
    }

    public static Credentials of(ApiRequest req) {
        return new Credentials(req.header("Authorization"), req.clientCertificates());
    }

    public static Credentials bearer(String token) { return new Credentials("Bearer " + token, List.of()); }

    /** Never prints the header: it holds a secret. */
    @Override
    public String toString() { return "Credentials[authorization=" + (authorization == null ? "none" : "<redacted>") + ", certificates=" + peerCertificates.size() + "]"; }
}
