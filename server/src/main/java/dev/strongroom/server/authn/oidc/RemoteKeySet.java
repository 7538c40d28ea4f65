package dev.strongroom.server.authn.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An issuer's JSON Web Key Set, fetched from its {@code jwks_uri} and cached, as go-oidc's {@code RemoteKeySet}:
 * a signature is first checked with the cached keys (those with the token's {@code kid}, or all when it has none);
 * if none verifies, the set is fetched again and tried once more — unless the cached set is still fresh by the
 * response's {@code Cache-Control: max-age} (go-oidc's rule). On top of upstream, refetches triggered by tokens are
 * rate-limited by a small token bucket ({@link #BURST} at once, one more every {@link #REFILL}) so that a flood of
 * tokens with made-up key IDs cannot turn Strongroom into a load generator against the issuer.
 */
final class RemoteKeySet {
    static final int BURST = 2;
    static final Duration REFILL = Duration.ofSeconds(10);
    /** go-oidc's {@code keysExpiryDelta}. */
    static final Duration EXPIRY_DELTA = Duration.ofSeconds(30);
    private static final Pattern MAX_AGE = Pattern.compile("(?i)(?:^|[,\\s])max-age\\s*=\\s*(\\d+)");

    private final String jwksUri;
    private final HttpClient http;
    private final Clock clock;

    private List<JWK> keys = List.of();
    private Instant expiry = Instant.MIN;
    private boolean fetched;
    private double tokens = BURST;
    private Instant lastRefill;

    RemoteKeySet(String jwksUri, HttpClient http, Clock clock) {
        this.jwksUri = jwksUri;
        this.http = http;
        this.clock = clock;
        this.lastRefill = clock.instant();
    }

    /** @return the verified payload, or throws with go-oidc's message */
    synchronized void verify(JWSObject jws) throws VerifyException {
        String kid = jws.getHeader().getKeyID();
        if (!fetched) {
            fetch(); // the first fetch is not a refresh
        } else if (tryKeys(jws, kid)) {
            return;
        } else if (!clock.instant().plus(EXPIRY_DELTA).isAfter(expiry)) {
            throw new VerifyException("failed to verify id token signature"); // cached keys still fresh
        } else if (!takeToken()) {
            throw new VerifyException("failed to verify id token signature"); // refresh rate limit
        } else {
            fetch();
        }
        if (!tryKeys(jws, kid)) throw new VerifyException("failed to verify id token signature");
    }

    private boolean tryKeys(JWSObject jws, String kid) {
        for (JWK k : keys) {
            if (kid != null && !kid.isEmpty() && !kid.equals(k.getKeyID())) continue;
            if (!(k instanceof AsymmetricJWK a)) continue;
            try {
                JWSVerifier v = new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(), a.toPublicKey());
                if (jws.verify(v)) return true;
            } catch (JOSEException | IllegalStateException e) {
                // this key cannot verify this signature; try the next
            }
        }
        return false;
    }

    private boolean takeToken() {
        Instant now = clock.instant();
        double refill = (double) Duration.between(lastRefill, now).toMillis() / REFILL.toMillis();
        if (refill > 0) {
            tokens = Math.min(BURST, tokens + refill);
            lastRefill = now;
        }
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    private void fetch() throws VerifyException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(jwksUri)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VerifyException("fetching keys oidc: get keys failed " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException("fetching keys oidc: get keys failed: interrupted");
        }
        if (r.statusCode() != 200) {
            throw new VerifyException("fetching keys oidc: get keys failed: " + r.statusCode() + " " + abbreviate(r.body()));
        }
        try {
            keys = JWKSet.parse(r.body()).getKeys();
        } catch (ParseException e) {
            throw new VerifyException("fetching keys oidc: failed to decode keys: " + e.getMessage());
        }
        fetched = true;
        Instant now = clock.instant();
        expiry = now;
        String cc = r.headers().firstValue("Cache-Control").orElse("");
        Matcher m = MAX_AGE.matcher(cc);
        if (m.find() && !cc.toLowerCase().contains("no-store") && !cc.toLowerCase().contains("no-cache")) {
            expiry = now.plusSeconds(Long.parseLong(m.group(1)));
        }
    }

    private static String abbreviate(String s) { return s.length() > 200 ? s.substring(0, 200) : s; }

    static final class VerifyException extends Exception {
        VerifyException(String message) { super(message, null, false, false); }
    }
}
