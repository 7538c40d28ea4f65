package dev.strongroom.server.authn;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real OpenID Connect issuer over HTTPS on 127.0.0.1 (JDK HttpsServer, its own CA): each tenant is an issuer at
 * {@code https://127.0.0.1:<port>/<name>} serving discovery and a JWKS, signing tokens with Nimbus. Keys can be
 * rotated; discovery and JWKS fetches are counted.
 */
final class TestIssuer implements AutoCloseable {
    final HttpsServer server;
    final String caPem;
    final int port;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    private TestIssuer(HttpsServer server, String caPem) {
        this.server = server;
        this.caPem = caPem;
        this.port = server.getAddress().getPort();
    }

    static TestIssuer start() throws Exception {
        Pki.Issued ca = Pki.selfSignedCa("test-issuer-ca", Duration.ofDays(1));
        Pki.Issued leaf = Pki.issue(ca, "CN=127.0.0.1", List.of("127.0.0.1"), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", leaf.key(), "x".toCharArray(), new Certificate[] {leaf.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        TestIssuer issuer = new TestIssuer(s, Pki.pem(ca.certificate()));
        s.createContext("/", issuer::serve);
        s.start();
        return issuer;
    }

    Tenant tenant(String name) throws Exception {
        Tenant t = new Tenant(name, "https://127.0.0.1:" + port + "/" + name);
        tenants.put(name, t);
        return t;
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = null, type = "application/json";
        for (Tenant t : tenants.values()) {
            if (path.equals("/" + t.name + "/.well-known/openid-configuration") || path.equals("/discovery-for/" + t.name)) {
                t.discoveryHits.incrementAndGet();
                body = "{\"issuer\":\"" + t.issuerInDiscovery + "\",\"jwks_uri\":\"https://127.0.0.1:" + port + "/" + t.name + "/jwks\","
                        + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
            } else if (path.equals("/" + t.name + "/jwks")) {
                t.jwksHits.incrementAndGet();
                body = new JWKSet(t.published.stream().map(JWK::toPublicJWK).toList()).toString();
                type = "application/jwk-set+json";
            }
        }
        byte[] bytes = body == null ? "not found".getBytes(StandardCharsets.UTF_8) : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    final class Tenant {
        final String name;
        final String issuer;
        volatile String issuerInDiscovery;
        volatile List<RSAKey> published;
        volatile RSAKey signing;
        final AtomicInteger jwksHits = new AtomicInteger();
        final AtomicInteger discoveryHits = new AtomicInteger();

        Tenant(String name, String issuer) throws Exception {
            this.name = name;
            this.issuer = issuer;
            this.issuerInDiscovery = issuer;
            this.signing = newKey();
            this.published = List.of(signing);
        }

        static RSAKey newKey() throws Exception {
            return new RSAKeyGenerator(2048).keyID(java.util.UUID.randomUUID().toString()).generate();
        }

        private static final RSAKey[] CACHE = new RSAKey[1];

        /** A key with a fresh key ID but reused key material (RSA generation is slow). */
        static RSAKey newKeyCached(int i) throws Exception {
            synchronized (CACHE) {
                if (CACHE[0] == null) CACHE[0] = newKey();
                return new RSAKey.Builder(CACHE[0]).keyID("unknown-" + i + "-" + java.util.UUID.randomUUID()).build();
            }
        }

        /** Replaces the published key by a new one, which signs from now on. */
        RSAKey rotate() throws Exception {
            signing = newKey();
            published = List.of(signing);
            return signing;
        }

        /** A token of this issuer for {@code aud}, valid for 10 minutes, with claims as {@code edit} leaves them. */
        String token(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
            return sign(signing, signing.getKeyID(), edit);
        }

        String sign(RSAKey key, String kid, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
            Instant now = Instant.now();
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).audience("strongroom").subject("user-1234")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
            edit.accept(b);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), b.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
    }

    @Override
    public void close() { server.stop(0); }
}
