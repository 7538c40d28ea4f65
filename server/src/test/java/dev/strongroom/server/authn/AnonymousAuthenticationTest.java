package dev.strongroom.server.authn;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous requests: refused (401) by default; with {@code --anonymous-auth=true} they proceed as
 * {@code system:anonymous} to authorization (which then decides), but a bad credential is still a 401; the
 * AuthenticationConfiguration's {@code anonymous.conditions} limit anonymous to some paths.
 */
class AnonymousAuthenticationTest {
    @Test
    void refusedByDefault() throws Exception {
        try (TestCluster c = TestCluster.start(o -> o)) {
            TestCluster.Response r = c.get("/api/v1/namespaces/default/secrets", null);
            assertThat(r.status()).isEqualTo(401);
        }
    }

    @Test
    void allowedWithTheFlag() throws Exception {
        try (TestCluster c = TestCluster.start(o -> o.withAnonymousAuth(true))) {
            TestCluster.Response r = c.get("/api/v1/namespaces/default/secrets", null);
            // Authenticated as system:anonymous: authorization, not authentication, refuses.
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().path("message").asText()).contains("User \"system:anonymous\" cannot list resource \"secrets\"");
            // A credential that does not verify is never downgraded to anonymous.
            assertThat(c.get("/api/v1/namespaces/default/secrets", "bad-token").status()).isEqualTo(401);
        }
    }

    @Test
    void limitedToConfiguredPaths() throws Exception {
        Path cfg = Files.createTempFile("anon", ".yaml");
        try {
            Files.writeString(cfg, """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AuthenticationConfiguration
                    anonymous:
                      enabled: true
                      conditions:
                      - path: /api/v1/namespaces/default/secrets
                    """);
            try (TestCluster c = TestCluster.start(o -> o.withAuthentication(AuthenticationOptions.defaults().withAuthenticationConfig(cfg)))) {
                assertThat(c.get("/api/v1/namespaces/default/secrets", null).status()).isEqualTo(403);
                assertThat(c.get("/api/v1/namespaces/kube-system/secrets", null).status()).isEqualTo(401);
            }
        } finally {
            Files.deleteIfExists(cfg);
        }
    }
}
