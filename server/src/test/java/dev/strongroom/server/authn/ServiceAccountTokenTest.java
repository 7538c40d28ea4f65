package dev.strongroom.server.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.StrongroomServer;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strongroom's own service accounts: TokenRequest ({@code kubectl create token}) with upstream's defaults, bounds and
 * claims; the tokens authenticate until they expire or their ServiceAccount or bound Secret is gone; every kind of
 * bad token is refused; the issuer's discovery documents verify the tokens independently.
 */
class ServiceAccountTokenTest {
    static final String ISSUER = "https://strongroom.test";
    static TestCluster c;
    static RSAPrivateKey signingKey;
    static String kid;

    @BeforeAll
    static void start() throws Exception {
        c = TestCluster.start(o -> o.withAuthentication(AuthenticationOptions.defaults()
                .withServiceAccountIssuers(List.of(ISSUER))
                .withApiAudiences(List.of("strongroom"))
                .withServiceAccountMaxTokenExpiration(Duration.ofHours(2))));
        // The test plays an attacker who stole the key only to craft tokens with bad times: it reads the key file.
        String pem = Files.readString(c.server.dataDirectory().root().resolve("pki").resolve("sa.key"));
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            signingKey = (RSAPrivateKey) new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
        kid = JWKSet.parse(c.get("/openid/v1/jwks", c.adminToken).body()).getKeys().get(0).getKeyID();
        assertThat(c.post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"app\"}}", c.adminToken).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception { c.close(); }

    static String tokenRequest(String namespace, String sa, String spec) throws Exception {
        TestCluster.Response r = c.post("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + sa + "/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}", c.adminToken);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("status").path("token").asText();
    }

    static JsonNode part(String jwt, int i) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    static String saUid(String name) throws Exception {
        return c.get("/api/v1/namespaces/default/serviceaccounts/" + name, c.adminToken).json().path("metadata").path("uid").asText();
    }

    /** A token signed with the server's real key, with claims as {@code edit} leaves them. */
    static String craft(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of("strongroom"))
                .subject("system:serviceaccount:default:app").issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", java.util.Map.of("namespace", "default", "serviceaccount", java.util.Map.of("name", "app", "uid", saUid("app"))));
        edit.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), b.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    @Test
    void kubectlCreatesAServiceAccountAndATokenThatLogsIn() throws Exception {
        Path admin = c.kubeconfigWithToken(c.adminToken);
        TestCluster.Run sa = c.kubectl("1.28", admin, "create", "serviceaccount", "builder");
        assertThat(sa.stdout()).as(sa.stderr()).isEqualTo("serviceaccount/builder created\n");
        TestCluster.Run tok = c.kubectl("1.28", admin, "create", "token", "builder", "--audience=strongroom");
        assertThat(tok.exit()).as(tok.stderr()).isZero();
        String token = tok.stdout().strip();
        String jti = part(token, 1).path("jti").asText();
        TestCluster.Run who = c.kubectl("1.28", c.kubeconfigWithToken(token), "auth", "whoami");
        assertThat(who.exit()).as(who.stderr()).isZero();
        // Transcript 55, plus the credential-id extra of a 1.33 server (JTIs are GA there).
        assertThat(who.stdout()).isEqualTo("""
                ATTRIBUTE                                           VALUE
                Username                                            system:serviceaccount:default:builder
                UID                                                 %s
                Groups                                              [system:serviceaccounts system:serviceaccounts:default system:authenticated]
                Extra: authentication.kubernetes.io/credential-id   [JTI=%s]
                """.formatted(saUid("builder"), jti));
    }

    @Test
    void kubectl133CreatesAToken() throws Exception {
        TestCluster.Run tok = c.kubectl("1.33", c.kubeconfigWithToken(c.adminToken), "create", "token", "app", "--audience=strongroom", "--duration=10m");
        assertThat(tok.exit()).as(tok.stderr()).isZero();
        JsonNode claims = part(tok.stdout().strip(), 1);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
        assertThat(c.whoami(tok.stdout().strip()).status()).isEqualTo(201);
    }

    @Test
    void claimsAreExactlyUpstreams() throws Exception {
        String token = tokenRequest("default", "app", "{}");
        JsonNode header = part(token, 0), claims = part(token, 1);
        assertThat(header.toString()).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}");
        List<String> names = new ArrayList<>();
        claims.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub");
        assertThat(claims.path("aud").toString()).isEqualTo("[\"strongroom\"]");
        assertThat(claims.path("iss").asText()).isEqualTo(ISSUER);
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:default:app");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(claims.path("nbf").asLong()).isEqualTo(claims.path("iat").asLong());
        assertThat(claims.path("kubernetes.io").toString())
                .isEqualTo("{\"namespace\":\"default\",\"serviceaccount\":{\"name\":\"app\",\"uid\":\"" + saUid("app") + "\"}}");
    }

    @Test
    void discoveryDocumentsVerifyTheTokens() throws Exception {
        TestCluster.Response md = c.get("/.well-known/openid-configuration", c.adminToken);
        assertThat(md.status()).isEqualTo(200);
        assertThat(md.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(md.body()).isEqualTo("{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"https://127.0.0.1:0/openid/v1/jwks\","
                + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        TestCluster.Response jwks = c.get("/openid/v1/jwks", c.adminToken);
        assertThat(jwks.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
        RSAKey key = (RSAKey) JWKSet.parse(jwks.body()).getKeys().get(0);
        assertThat(jwks.body()).startsWith("{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"" + key.getKeyID() + "\",\"alg\":\"RS256\",\"n\":\"");
        // kid = base64url(SHA-256(DER SubjectPublicKeyInfo)), as upstream's keyIDFromPublicKey.
        byte[] spki = key.toRSAPublicKey().getEncoded();
        assertThat(key.getKeyID()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki)));
        // An independent verifier (Nimbus) accepts a minted token with the published key.
        assertThat(SignedJWT.parse(tokenRequest("default", "app", "{}")).verify(new RSASSAVerifier(key))).isTrue();
    }

    @Test
    void tokenRequestDefaultsAndEchoesTheRequest() throws Exception {
        // kubectl <= 1.31 sends explicit nulls: they mean "unset".
        TestCluster.Response r = c.post("/api/v1/namespaces/default/serviceaccounts/app/token",
                "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},"
                        + "\"spec\":{\"audiences\":null,\"expirationSeconds\":null,\"boundObjectRef\":null},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}", c.adminToken);
        assertThat(r.status()).isEqualTo(201);
        JsonNode o = r.json();
        assertThat(o.path("metadata").path("name").asText()).isEqualTo("app");
        assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("default");
        assertThat(o.path("spec").toString()).isEqualTo("{\"audiences\":[\"strongroom\"],\"expirationSeconds\":3600,\"boundObjectRef\":null}");
        Instant exp = Instant.parse(o.path("status").path("expirationTimestamp").asText());
        assertThat(exp.getEpochSecond()).isEqualTo(part(o.path("status").path("token").asText(), 1).path("exp").asLong());
    }

    @Test
    void expirationBounds() throws Exception {
        TestCluster.Response low = c.post("/api/v1/namespaces/default/serviceaccounts/app/token", "{\"spec\":{\"expirationSeconds\":599}}", c.adminToken);
        assertThat(low.status()).isEqualTo(422);
        assertThat(low.json().path("message").asText())
                .isEqualTo("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes");
        TestCluster.Response high = c.post("/api/v1/namespaces/default/serviceaccounts/app/token", "{\"spec\":{\"expirationSeconds\":4294967297}}", c.adminToken);
        assertThat(high.status()).isEqualTo(422);
        assertThat(high.json().path("message").asText())
                .isEqualTo("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds");
        // --service-account-max-token-expiration=2h caps longer requests, with a warning.
        TestCluster.Response capped = c.post("/api/v1/namespaces/default/serviceaccounts/app/token", "{\"spec\":{\"expirationSeconds\":86400}}", c.adminToken);
        assertThat(capped.status()).isEqualTo(201);
        assertThat(capped.json().path("spec").path("expirationSeconds").asLong()).isEqualTo(7200);
        assertThat(capped.headers().firstValue("Warning")).hasValue("299 - \"requested expiration of 86400 seconds shortened to 7200 seconds\"");
        // Exactly 10 minutes is allowed.
        assertThat(part(tokenRequest("default", "app", "{\"expirationSeconds\":600}"), 1).path("exp").asLong()).isPositive();
    }

    @Test
    void unknownServiceAccount() throws Exception {
        TestCluster.Response r = c.post("/api/v1/namespaces/default/serviceaccounts/nosuch/token", "{\"spec\":{}}", c.adminToken);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("message").asText()).isEqualTo("serviceaccounts \"nosuch\" not found");
    }

    @Test
    void tokenBoundToASecretDiesWithIt() throws Exception {
        TestCluster.Response s = c.post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"bound\"},\"stringData\":{\"a\":\"b\"}}", c.adminToken);
        String secretUid = s.json().path("metadata").path("uid").asText();
        String token = tokenRequest("default", "app", "{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"bound\"}}");
        assertThat(part(token, 1).path("kubernetes.io").path("secret").toString()).isEqualTo("{\"name\":\"bound\",\"uid\":\"" + secretUid + "\"}");
        assertThat(c.whoami(token).status()).isEqualTo(201);
        c.delete("/api/v1/namespaces/default/secrets/bound", c.adminToken);
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").path("error").asText()).isEqualTo("service account token has been invalidated");
    }

    @Test
    void boundObjectRefMustExistAndMatch() throws Exception {
        TestCluster.Response missing = c.post("/api/v1/namespaces/default/serviceaccounts/app/token",
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"nope\"}}}", c.adminToken);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("secrets \"nope\" not found");
        c.post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"other\"}}", c.adminToken);
        TestCluster.Response wrongUid = c.post("/api/v1/namespaces/default/serviceaccounts/app/token",
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"other\",\"uid\":\"not-the-uid\"}}}", c.adminToken);
        assertThat(wrongUid.status()).isEqualTo(409);
        assertThat(wrongUid.json().path("message").asText()).isEqualTo("Operation cannot be fulfilled on Secret \"other\": the UID in the bound object reference "
                + "(not-the-uid) does not match the UID in record. The object might have been deleted and then recreated");
        TestCluster.Response pod = c.post("/api/v1/namespaces/default/serviceaccounts/app/token",
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p\"}}}", c.adminToken);
        assertThat(pod.status()).isEqualTo(400);
        assertThat(pod.json().path("message").asText())
                .isEqualTo("cannot bind token to object of type /v1, Kind=Pod: Strongroom serves no pods or nodes, so tokens can only be bound to a Secret");
    }

    @Test
    void tokenOfADeletedServiceAccountIsRefused() throws Exception {
        c.post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"temp\"}}", c.adminToken);
        String token = tokenRequest("default", "temp", "{}");
        assertThat(c.whoami(token).status()).isEqualTo(201);
        assertThat(c.delete("/api/v1/namespaces/default/serviceaccounts/temp", c.adminToken).status()).isEqualTo(200);
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").path("error").asText()).isEqualTo("serviceaccounts \"temp\" not found");
        // A new account of the same name is a different account.
        c.post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"temp\"}}", c.adminToken);
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").path("error").asText()).startsWith("service account UID (").contains(") does not match claim (");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        // Expired 2 minutes ago: beyond the one-minute leeway.
        String token = craft(b -> b.issueTime(Date.from(Instant.now().minusSeconds(4000))).notBeforeTime(Date.from(Instant.now().minusSeconds(4000)))
                .expirationTime(Date.from(Instant.now().minusSeconds(120))));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").toString()).isEqualTo("{\"user\":{},\"error\":\"service account token has expired\"}");
        // Expired 20 seconds ago: within the leeway, still good (go-jose's DefaultLeeway).
        String recent = craft(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(20))));
        assertThat(c.whoami(recent).status()).isEqualTo(201);
    }

    @Test
    void notYetValidTokenIsRefused() throws Exception {
        String token = craft(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(600))));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").path("error").asText()).isEqualTo("service account token is not valid yet");
    }

    @Test
    void forgedTokenIsRefused() throws Exception {
        // Signed by another key but claiming the server's key ID.
        RSAKey forger = new RSAKeyGenerator(2048).generate();
        SignedJWT jwt = SignedJWT.parse(craft(b -> { }));
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), jwt.getJWTClaimsSet());
        forged.sign(new RSASSASigner(forger));
        assertThat(c.whoami(forged.serialize()).status()).isEqualTo(401);
        assertThat(c.tokenReview(forged.serialize()).path("status").path("error").asText()).isEqualTo("square/go-jose: error in cryptographic primitive");
        // A valid token with one flipped claim byte no longer verifies either.
        String good = craft(b -> { });
        String[] p = good.split("\\.");
        String tampered = p[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8).replace("\"app\"", "\"apq\"").getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        assertThat(c.whoami(tampered).status()).isEqualTo(401);
    }

    @Test
    void unknownKeyIdIsRefused() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("some-other-key").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("some-other-key").build(), SignedJWT.parse(craft(b -> { })).getJWTClaimsSet());
        jwt.sign(new RSASSASigner(other));
        assertThat(c.whoami(jwt.serialize()).status()).isEqualTo(401);
        assertThat(c.tokenReview(jwt.serialize()).path("status").path("error").asText()).isEqualTo("invalid signature, no keys found");
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        String token = craft(b -> b.issuer("https://somebody-else.example"));
        assertThat(c.whoami(token).status()).isEqualTo(401);
        // No authenticator recognises the issuer, so this is just an unknown token.
        assertThat(c.tokenReview(token).path("status").path("error").asText()).isEqualTo("invalid bearer token");
    }

    @Test
    void wrongAudienceIsRefusedHereButValidForItsAudience() throws Exception {
        String token = tokenRequest("default", "app", "{\"audiences\":[\"vault\"]}");
        assertThat(c.whoami(token).status()).isEqualTo(401);
        assertThat(c.tokenReview(token).path("status").path("error").asText())
                .isEqualTo("token audiences [\"vault\"] is invalid for the target audiences [\"strongroom\"]");
        JsonNode forVault = c.tokenReview(token, "vault").path("status");
        assertThat(forVault.path("authenticated").asBoolean()).isTrue();
        assertThat(forVault.path("audiences").toString()).isEqualTo("[\"vault\"]");
        assertThat(forVault.path("user").path("username").asText()).isEqualTo("system:serviceaccount:default:app");
    }

    @Test
    void tokenReviewOfOtherTokenTypes() throws Exception {
        JsonNode admin = c.tokenReview(c.adminToken).path("status");
        assertThat(admin.toString()).isEqualTo("{\"authenticated\":true,\"user\":{\"username\":\"strongroom-admin\",\"groups\":[\"system:masters\",\"system:authenticated\"]},\"audiences\":[\"strongroom\"]}");
        assertThat(c.tokenReview("garbage").path("status").toString()).isEqualTo("{\"user\":{},\"error\":\"invalid bearer token\"}");
        TestCluster.Response noToken = c.post("/apis/authentication.k8s.io/v1/tokenreviews", "{\"spec\":{}}", c.adminToken);
        assertThat(noToken.status()).isEqualTo(400);
        assertThat(noToken.json().path("message").asText()).isEqualTo("token is required for TokenReview in authentication");
    }

    @Test
    void signingKeyIsPrivateAndSurvivesARestart() throws Exception {
        Path dir = Files.createTempDirectory("strongroom-restart");
        try {
            ServerOptions o = ServerOptions.defaults(dir).withPort(0);
            String token;
            String admin;
            try (StrongroomServer first = StrongroomServer.start(o)) {
                assertThat(Files.getPosixFilePermissions(dir.resolve("pki").resolve("sa.key")))
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                admin = Files.readString(first.dataDirectory().adminKubeconfig()).lines().filter(l -> l.trim().startsWith("token:"))
                        .findFirst().orElseThrow().trim().substring(6).trim();
                token = requestToken(first, admin);
            }
            try (StrongroomServer second = StrongroomServer.start(o)) {
                var client = java.net.http.HttpClient.newBuilder().sslContext(sslTrusting(second.dataDirectory().caCert())).build();
                var resp = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(second.url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(201);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String requestToken(StrongroomServer s, String admin) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().sslContext(sslTrusting(s.dataDirectory().caCert())).build();
        var resp = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url() + "/api/v1/namespaces/default/serviceaccounts/default/token"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"spec\":{}}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(201);
        return Json.MAPPER.readTree(resp.body()).path("status").path("token").asText();
    }

    private static javax.net.ssl.SSLContext sslTrusting(Path ca) throws Exception {
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
