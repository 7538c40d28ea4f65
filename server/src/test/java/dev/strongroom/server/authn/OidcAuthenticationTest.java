package dev.strongroom.server.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT issuers from {@code --authentication-config}, against a real OpenID Connect issuer over HTTPS on loopback:
 * discovery, JWKS fetching and refresh on rotation, audiences, claim mappings with prefixes, required claims,
 * {@code email_verified}, and every kind of bad token refused with upstream's reason (seen through TokenReview).
 */
class OidcAuthenticationTest {
    static TestIssuer idp;
    static TestIssuer.Tenant corp, rotating, limited, moved, liar, other;
    static TestCluster c;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        idp = TestIssuer.start();
        corp = idp.tenant("corp");
        rotating = idp.tenant("rotating");
        limited = idp.tenant("limited");
        moved = idp.tenant("moved");
        liar = idp.tenant("liar");
        liar.issuerInDiscovery = "https://127.0.0.1:" + idp.port + "/somebody-else";
        other = idp.tenant("other");
        String ca = idp.caPem.strip().replace("\n", "\n      ");
        config = Files.createTempFile("authn", ".yaml");
        Files.writeString(config, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AuthenticationConfiguration
                jwt:
                - issuer:
                    url: %s
                    certificateAuthority: |
                      %s
                    audiences: [strongroom]
                  claimValidationRules:
                  - claim: hd
                    requiredValue: example.com
                  claimMappings:
                    username: {claim: email, prefix: "oidc:"}
                    groups: {claim: groups, prefix: "oidc:"}
                    uid: {claim: sub}
                - issuer:
                    url: %s
                    certificateAuthority: |
                      %s
                    audiences: [strongroom, other-app]
                    audienceMatchPolicy: MatchAny
                  claimMappings:
                    username: {claim: sub, prefix: ""}
                - issuer: {url: %s, certificateAuthority: "%s", audiences: [strongroom]}
                  claimMappings: {username: {claim: sub, prefix: "limited:"}}
                - issuer: {url: %s, discoveryURL: "https://127.0.0.1:%d/discovery-for/moved", certificateAuthority: "%s", audiences: [strongroom]}
                  claimMappings: {username: {claim: sub, prefix: "moved:"}}
                - issuer: {url: %s, certificateAuthority: "%s", audiences: [strongroom]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                - issuer: {url: %s, certificateAuthority: "%s", audiences: [strongroom]}
                  claimMappings: {username: {claim: sub, prefix: "other:"}}
                """.formatted(corp.issuer, ca, rotating.issuer, ca, limited.issuer, esc(idp.caPem), moved.issuer, idp.port, esc(idp.caPem),
                liar.issuer, esc(idp.caPem), other.issuer, esc(idp.caPem)));
        c = TestCluster.start(o -> o.withAuthentication(AuthenticationOptions.defaults().withAuthenticationConfig(config)
                .withApiAudiences(List.of("strongroom"))));
    }

    private static String esc(String pem) { return pem.replace("\n", "\\n"); }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        idp.close();
        Files.deleteIfExists(config);
    }

    static String corpToken(java.util.function.Consumer<com.nimbusds.jwt.JWTClaimsSet.Builder> edit) throws Exception {
        return corp.token(b -> {
            b.claim("email", "alice@example.com").claim("email_verified", true).claim("hd", "example.com").claim("groups", List.of("devs", "ops"));
            edit.accept(b);
        });
    }

    static String error(String token) throws Exception {
        JsonNode status = c.tokenReview(token).path("status");
        assertThat(status.path("authenticated").asBoolean()).isFalse();
        return status.path("error").asText();
    }

    @Test
    void oidcUserWithPrefixedClaims() throws Exception {
        TestCluster.Response r = c.whoami(corpToken(b -> { }));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("status").path("userInfo").toString()).isEqualTo(
                "{\"username\":\"oidc:alice@example.com\",\"uid\":\"user-1234\",\"groups\":[\"oidc:devs\",\"oidc:ops\",\"system:authenticated\"]}");
    }

    @Test
    void kubectlWhoamiWithAnOidcToken() throws Exception {
        TestCluster.Run run = c.kubectl("1.33", c.kubeconfigWithToken(corpToken(b -> { })), "auth", "whoami");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("""
                ATTRIBUTE   VALUE
                Username    oidc:alice@example.com
                UID         user-1234
                Groups      [oidc:devs oidc:ops system:authenticated]
                """);
    }

    @Test
    void groupsClaimMayBeASingleString() throws Exception {
        TestCluster.Response r = c.whoami(corpToken(b -> b.claim("groups", "admins")));
        assertThat(r.json().path("status").path("userInfo").path("groups").toString()).isEqualTo("[\"oidc:admins\",\"system:authenticated\"]");
    }

    @Test
    void unverifiedEmailIsRefused() throws Exception {
        String token = corpToken(b -> b.claim("email_verified", false));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("oidc: email not verified");
        // Without an email_verified claim the email is taken as it is.
        assertThat(c.whoami(corpToken(b -> b.claim("email_verified", null))).status()).isEqualTo(201);
    }

    @Test
    void requiredClaim() throws Exception {
        String missing = corpToken(b -> b.claim("hd", null));
        assertThat(c.whoami(missing).status()).isEqualTo(401);
        assertThat(error(missing)).isEqualTo("oidc: required claim hd not present in ID token");
        String wrong = corpToken(b -> b.claim("hd", "evil.com"));
        assertThat(error(wrong)).isEqualTo("oidc: required claim hd value does not match. Got = evil.com, want = example.com");
    }

    @Test
    void missingUsernameClaim() throws Exception {
        assertThat(error(corpToken(b -> b.claim("email", null)))).isEqualTo("oidc: parse username claims \"email\": claim not present");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        Instant exp = Instant.ofEpochSecond(Instant.now().minusSeconds(10).getEpochSecond());
        String token = corpToken(b -> b.expirationTime(Date.from(exp)));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("oidc: verify token: oidc: token is expired (Token Expiry: "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(exp) + " +0000 UTC)");
    }

    @Test
    void notYetValidTokenIsRefused() throws Exception {
        String token = corpToken(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(300))));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).startsWith("oidc: verify token: oidc: current time ").contains(" before the nbf (not before) time: ");
        // go-oidc allows one minute of clock skew.
        assertThat(c.whoami(corpToken(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(20))))).status()).isEqualTo(201);
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        String token = corpToken(b -> b.audience("someone-else"));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("oidc: verify token: oidc: expected audience \"strongroom\" got [\"someone-else\"]");
        // With several audiences configured (MatchAny), any one of them will do.
        assertThat(c.whoami(rotating.token(b -> b.audience("other-app"))).status()).isEqualTo(201);
        assertThat(error(rotating.token(b -> b.audience("nope")))).isEqualTo("oidc: verify token: oidc: expected audience in [\"other-app\" \"strongroom\"] got [\"nope\"]");
    }

    @Test
    void unknownIssuerIsRefused() throws Exception {
        String token = corp.token(b -> b.issuer("https://127.0.0.1:" + idp.port + "/not-configured"));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("invalid bearer token");
    }

    @Test
    void forgedTokenIsRefused() throws Exception {
        // Signed with a key the issuer never published, under the key ID of one it did.
        RSAKey forger = TestIssuer.Tenant.newKey();
        String token = corp.sign(forger, corp.signing.getKeyID(), b -> b.claim("email", "alice@example.com").claim("hd", "example.com"));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("oidc: verify token: failed to verify signature: failed to verify id token signature");
    }

    @Test
    void aTokenIsOnlyTriedByTheAuthenticatorOfItsIssuer() throws Exception {
        // Claims to be from "other" but is signed by corp's key: other's keys do not verify it, and corp's
        // authenticator never looks at it.
        assertThat(c.whoami(other.token(b -> { })).status()).isEqualTo(201);
        int corpFetches = corp.jwksHits.get();
        String token = corp.sign(corp.signing, corp.signing.getKeyID(), b -> b.issuer(other.issuer));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(corp.jwksHits.get()).isEqualTo(corpFetches);
    }

    @Test
    void rotatedKeysArePickedUpAndUnknownKeyIdsRefused() throws Exception {
        assertThat(c.whoami(rotating.token(b -> { })).status()).isEqualTo(201);
        int fetches = rotating.jwksHits.get();
        rotating.rotate();
        // A token under the new key ID makes Strongroom fetch the key set again.
        assertThat(c.whoami(rotating.token(b -> { })).status()).isEqualTo(201);
        assertThat(rotating.jwksHits.get()).isEqualTo(fetches + 1);
        // A key ID the issuer does not publish stays refused.
        RSAKey stranger = TestIssuer.Tenant.newKey();
        String unknown = rotating.sign(stranger, stranger.getKeyID(), b -> { });
        assertThat(c.whoami(unknown).status()).isEqualTo(401);
        assertThat(error(unknown)).startsWith("oidc: verify token: failed to verify signature: ");
    }

    @Test
    void refetchesOnUnknownKeyIdsAreRateLimited() throws Exception {
        assertThat(c.whoami(limited.token(b -> { })).status()).isEqualTo(201);
        int before = limited.jwksHits.get();
        int attempts = 20;
        for (int i = 0; i < attempts; i++) {
            RSAKey k = TestIssuer.Tenant.newKeyCached(i);
            assertThat(c.whoami(limited.sign(k, k.getKeyID(), b -> { })).status()).isEqualTo(401);
        }
        // Without a limit each unknown key ID would cost the issuer a fetch.
        assertThat(limited.jwksHits.get() - before).isLessThan(attempts);
    }

    @Test
    void discoveryUrlOverride() throws Exception {
        assertThat(c.whoami(moved.token(b -> { })).json().path("status").path("userInfo").path("username").asText()).isEqualTo("moved:user-1234");
        assertThat(moved.discoveryHits.get()).isPositive();
    }

    @Test
    void discoveryNamingAnotherIssuerIsNeverTrusted() throws Exception {
        String token = liar.token(b -> { });
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("oidc: authenticator not initialized");
        assertThat(liar.jwksHits.get()).isZero();
    }
}
