package dev.strongroom.server.authn;

import dev.strongroom.server.authn.x509.ClientCertificateAuthenticator;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The union of authenticators, the authenticated-group adder and anonymous, as kube-apiserver stacks them. */
class AuthenticatorChainTest {
    static final Pki.Issued CA = Pki.selfSignedCa("users-ca", Duration.ofDays(1));
    static final List<String> AUDS = List.of("strongroom");
    static final String TOKEN = "t0ken";

    static AuthenticatorChain chain(boolean anonymous) {
        TokenAuthenticator tokens = TokenAuthenticator.builder()
                .addDigest(HexFormat.of().formatHex(TokenAuthenticator.sha256(TOKEN)), new UserInfo("tok", "", List.of("g"), Map.of()))
                .build();
        return new AuthenticatorChain(List.of(
                Audiences.agnosticRequest(AUDS, new ClientCertificateAuthenticator(List.of(CA.certificate()), Clock.systemUTC())),
                new BearerTokenAuthenticator(List.of(Audiences.agnosticToken(AUDS, tokens)))), anonymous, List.of(), AUDS);
    }

    @Test
    void aBadCertificateDoesNotSpoilAValidToken() {
        Pki.Issued other = Pki.selfSignedCa("other", Duration.ofDays(1));
        Pki.Issued stranger = Pki.issue(other, "CN=stranger", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        AuthResult r = chain(false).authenticate(new Credentials("Bearer " + TOKEN, List.of(stranger.certificate())), AUDS);
        assertThat(r.user().name()).isEqualTo("tok");
        assertThat(r.user().groups()).containsExactly("g", UserInfo.AUTHENTICATED);
        assertThat(r.audiences()).containsExactly("strongroom");
    }

    @Test
    void errorsOfAllAuthenticatorsAreAggregated() {
        Pki.Issued other = Pki.selfSignedCa("other", Duration.ofDays(1));
        Pki.Issued stranger = Pki.issue(other, "CN=stranger", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        AuthResult r = chain(true).authenticate(new Credentials("Bearer nope", List.of(stranger.certificate())), AUDS);
        assertThat(r.failed()).isTrue();
        assertThat(r.error()).startsWith("[verifying certificate SN=").endsWith("x509: certificate signed by unknown authority, invalid bearer token]");
    }

    @Test
    void anonymousOnlyWithoutAnyCredential() {
        assertThat(chain(true).authenticate(new Credentials(null, List.of()), AUDS).user()).isEqualTo(UserInfo.ANONYMOUS);
        // Not a bearer token: no credential the authenticators understand, so anonymous (as upstream).
        assertThat(chain(true).authenticate(new Credentials("Basic YTpi", List.of()), AUDS).user()).isEqualTo(UserInfo.ANONYMOUS);
        assertThat(chain(true).authenticate(new Credentials("Bearer nope", List.of()), AUDS).authenticated()).isFalse();
        assertThat(chain(false).authenticate(new Credentials(null, List.of()), AUDS).authenticated()).isFalse();
    }

    @Test
    void tokensForOtherAudiencesOnly() {
        // Audience-agnostic authenticators answer only when the API audiences are wanted.
        AuthResult r = chain(false).authenticate(Credentials.bearer(TOKEN), List.of("vault"));
        assertThat(r.error()).isEqualTo("invalid bearer token");
    }

    @Test
    void authenticatedGroupIsAddedOnce() {
        UserInfo u = AuthenticatorChain.withAuthenticatedGroup(new UserInfo("x", "", List.of(UserInfo.AUTHENTICATED, "a"), Map.of()));
        assertThat(u.groups()).containsExactly(UserInfo.AUTHENTICATED, "a");
        assertThat(AuthenticatorChain.withAuthenticatedGroup(UserInfo.ANONYMOUS)).isEqualTo(UserInfo.ANONYMOUS);
    }
}
