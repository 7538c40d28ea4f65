package dev.strongroom.server.authn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --token-auth-file} as upstream's tokenfile package (last duplicate wins, empty tokens skipped, groups split
 * on commas, {@code system:authenticated} added by the authentication stack), and {@code kubectl auth whoami}
 * printing exactly what kube-apiserver printed in reference transcripts 44 and 45.
 */
class StaticTokenAuthenticationTest {
    static TestCluster c;
    static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        tokenFile = Files.createTempFile("tokens", ".csv");
        Files.writeString(tokenFile, String.join("\n",
                "alice-token,alice,uid-alice,developers",
                "admin-token,admin,uid-admin,system:masters",
                "dup-token,first,1",
                "dup-token,second,2,\"g1,g2\"",
                ",nobody,3",
                "plain-token,carol,uid-carol",
                ""));
        c = TestCluster.start(o -> o.withTokenAuthFile(tokenFile));
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        Files.deleteIfExists(tokenFile);
    }

    @Test
    void whoamiAsAliceMatchesTranscript44() throws Exception {
        String expected = """
                ATTRIBUTE   VALUE
                Username    alice
                UID         uid-alice
                Groups      [developers system:authenticated]
                """;
        for (String version : new String[] {"1.28", "1.33"}) {
            TestCluster.Run r = c.kubectl(version, c.kubeconfigWithToken("alice-token"), "auth", "whoami");
            assertThat(r.exit()).as(version + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).as(version).isEqualTo(expected);
        }
    }

    @Test
    void whoamiAsAdminMatchesTranscript45() throws Exception {
        String expected = """
                ATTRIBUTE   VALUE
                Username    admin
                UID         uid-admin
                Groups      [system:masters system:authenticated]
                """;
        for (String version : new String[] {"1.28", "1.33"}) {
            TestCluster.Run r = c.kubectl(version, c.kubeconfigWithToken("admin-token"), "auth", "whoami");
            assertThat(r.exit()).as(version + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).as(version).isEqualTo(expected);
        }
    }

    @Test
    void duplicateTokenLastRecordWins() throws Exception {
        TestCluster.Response r = c.whoami("dup-token");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("status").path("userInfo").toString())
                .isEqualTo("{\"username\":\"second\",\"uid\":\"2\",\"groups\":[\"g1\",\"g2\",\"system:authenticated\"]}");
    }

    @Test
    void userWithoutGroupsIsStillAuthenticated() throws Exception {
        assertThat(c.whoami("plain-token").json().path("status").path("userInfo").path("groups").toString())
                .isEqualTo("[\"system:authenticated\"]");
    }

    @Test
    void unknownAndEmptyTokensAreUnauthorized() throws Exception {
        assertThat(c.whoami("not-a-token").status()).isEqualTo(401);
        // A token that differs from a valid one only in its last character is just as unknown.
        assertThat(c.whoami("alice-tokeN").status()).isEqualTo(401);
        // The empty token of the file was skipped: "Bearer " with nothing after it is no credential at all.
        assertThat(c.get("/api", "").status()).isEqualTo(401);
    }

    @Test
    void kubectlWithABadTokenIsToldToLogIn() throws Exception {
        TestCluster.Run r = c.kubectl("1.33", c.kubeconfigWithToken("wrong-token"), "auth", "whoami");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("error: You must be logged in to the server (Unauthorized)");
    }
}
