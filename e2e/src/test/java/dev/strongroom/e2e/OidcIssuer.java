package dev.strongroom.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A company's OpenID Connect identity provider, as small as it can be and still real: HTTPS on 127.0.0.1 (JDK
 * HttpsServer, a certificate of its own CA), the discovery document at {@code /.well-known/openid-configuration}, its
 * RS256 key at {@code /jwks}, and ID tokens signed with that key. Strongroom fetches discovery and keys from it over
 * TLS exactly as it would from a real provider; kubectl presents the ID token as a bearer token ({@code --token}).
 */
final class OidcIssuer implements AutoCloseable {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String KID = "e2e-key-1";

    private final HttpsServer server;
    private final String url;
    private final String caPem;
    private final KeyPair key;

    private OidcIssuer(HttpsServer server, String caPem, KeyPair key) {
        this.server = server;
        this.url = "https://127.0.0.1:" + server.getAddress().getPort();
        this.caPem = caPem;
        this.key = key;
    }

    static OidcIssuer start() {
        try {
            Pki.Issued ca = Pki.selfSignedCa("e2e-oidc-issuer-ca", Duration.ofDays(1));
            Pki.Issued tls = Pki.issue(ca, "CN=127.0.0.1", List.of("127.0.0.1"), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(1));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("tls", tls.key(), "x".toCharArray(), new Certificate[] {tls.certificate(), ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(ctx));
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            OidcIssuer issuer = new OidcIssuer(s, Pki.pem(ca.certificate()), g.generateKeyPair());
            s.createContext("/", issuer::serve);
            s.start();
            return issuer;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the test OIDC issuer", e);
        }
    }

    /** The issuer URL: the {@code iss} of its tokens and {@code issuer.url} in the authentication configuration. */
    String url() { return url; }

    /** The PEM CA that signed the issuer's TLS certificate ({@code issuer.certificateAuthority}). */
    String caPem() { return caPem; }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = null;
        if (path.equals("/.well-known/openid-configuration")) {
            ObjectNode d = ServerAccess.JSON.createObjectNode();
            d.put("issuer", url);
            d.put("jwks_uri", url + "/jwks");
            d.putArray("response_types_supported").add("id_token");
            d.putArray("subject_types_supported").add("public");
            d.putArray("id_token_signing_alg_values_supported").add("RS256");
            body = d.toString();
        } else if (path.equals("/jwks")) {
            RSAPublicKey pub = (RSAPublicKey) key.getPublic();
            ObjectNode jwk = ServerAccess.JSON.createObjectNode();
            jwk.put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KID)
                    .put("n", B64URL.encodeToString(unsigned(pub.getModulus())))
                    .put("e", B64URL.encodeToString(unsigned(pub.getPublicExponent())));
            ObjectNode set = ServerAccess.JSON.createObjectNode();
            set.putArray("keys").add(jwk);
            body = set.toString();
        }
        byte[] bytes = (body == null ? "404 page not found" : body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body == null ? "text/plain" : "application/json");
        ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /**
     * An ID token for {@code audience}, valid for ten minutes, with the claims a corporate provider sends: a stable
     * subject, a verified email address and the user's groups.
     */
    String idToken(String audience, String subject, String email, List<String> groups) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = ServerAccess.JSON.createObjectNode();
        claims.put("iss", url).put("sub", subject).put("aud", audience).put("iat", now).put("exp", now + 600)
                .put("email", email).put("email_verified", true);
        var g = claims.putArray("groups");
        groups.forEach(g::add);
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JWK integers are big-endian without the sign byte. */
    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    @Override
    public void close() { server.stop(0); }
}
