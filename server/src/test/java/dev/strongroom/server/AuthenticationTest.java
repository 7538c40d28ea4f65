package dev.strongroom.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens: the bootstrap admin, the token file, 401s exactly as kube-apiserver, and the public endpoints. */
class AuthenticationTest {
    static TestServer s;
    static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        tokenFile = Files.createTempFile("tokens", ".csv");
        Files.writeString(tokenFile, "# users\nalice-token,alice,1001,\"developers,qa\"\n");
        s = TestServer.start(tokenFile);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        Files.deleteIfExists(tokenFile);
    }

    private static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n";

    @Test
    void noTokenIsUnauthorized() throws Exception {
        var r = s.request("GET", "/api/v1/namespaces/default/secrets/x", null, null, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(UNAUTHORIZED);
        assertThat(r.headers().firstValue("audit-id")).isPresent();
    }

    @Test
    void badTokenIsUnauthorized() throws Exception {
        var r = s.request("GET", "/api", null, null, "not-a-valid-token");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void publicEndpointsNeedNoCredentials() throws Exception {
        for (String p : new String[] {"/livez", "/readyz", "/healthz", "/version"}) {
            assertThat(s.request("GET", p, null, null, null).status()).as(p).isEqualTo(200);
        }
        assertThat(s.request("GET", "/version", null, null, null).json().path("minor").asText()).isEqualTo(StrongroomServer.KUBERNETES_MINOR);
    }

    @Test
    void adminCanDoEverything() throws Exception {
        assertThat(s.get("/api/v1/namespaces/default/secrets").status()).isEqualTo(200);
    }

    @Test
    void tokenFileUserMayOnlyUseDiscovery() throws Exception {
        assertThat(s.request("GET", "/api", null, null, "alice-token").status()).isEqualTo(200);
        assertThat(s.request("GET", "/api/v1", null, null, "alice-token").status()).isEqualTo(200);
        var r = s.request("GET", "/api/v1/namespaces/default/secrets", null, null, "alice-token");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("message").asText())
                .isEqualTo("secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"");
        var one = s.request("GET", "/api/v1/namespaces/default/secrets/x", null, null, "alice-token");
        assertThat(one.json().path("message").asText())
                .isEqualTo("secrets \"x\" is forbidden: User \"alice\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"");
        var ns = s.request("GET", "/api/v1/namespaces", null, null, "alice-token");
        assertThat(ns.json().path("message").asText())
                .isEqualTo("namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
    }

    @Test
    void adminTokenIsStoredOnlyAsHash() throws Exception {
        String hash = Files.readString(s.server.dataDirectory().adminTokenHash()).trim();
        assertThat(hash).hasSize(64).doesNotContain(s.adminToken);
        assertThat(Files.getPosixFilePermissions(s.server.dataDirectory().adminKubeconfig()))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
}
