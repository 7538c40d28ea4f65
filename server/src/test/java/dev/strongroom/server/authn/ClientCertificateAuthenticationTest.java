package dev.strongroom.server.authn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --client-ca-file}: a certificate of the client CA with the clientAuth EKU logs in as CN, groups O, UID
 * from OID 1.3.6.1.4.1.57683.2, credential-id X509SHA256; anything else is a 401 (the TLS layer only asks for a
 * certificate, so the handshake succeeds and the refusal comes from authentication, as upstream).
 */
class ClientCertificateAuthenticationTest {
    static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    static final String SSR_BODY = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";

    static TestCluster c;
    static Pki.Issued ca;
    static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        ca = Pki.selfSignedCa("users-ca", Duration.ofDays(1));
        caFile = Files.createTempFile("client-ca", ".crt");
        Files.writeString(caFile, Pki.pem(ca.certificate()));
        c = TestCluster.start(o -> o.withClientCaFile(caFile));
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        Files.deleteIfExists(caFile);
    }

    private static TestCluster.Response whoamiWith(Pki.Issued identity) throws Exception {
        return c.request(c.client(identity), "POST", SSR, SSR_BODY, null);
    }

    /**
     * The request is refused. Upstream answers 401 (its TLS layer only requests a certificate). Today's transport
     * verifies client certificates in the handshake and refuses there instead; wiring
     * {@code RequestClientCertTrustManager} into it makes this a 401. The authenticator's own verdict is asserted
     * in {@link ClientCertificateAuthenticatorTest}.
     */
    /** A bad certificate is a 401 Status, as upstream, not a TLS handshake failure. */
    private static void assertRefused(Pki.Issued identity) throws Exception {
        TestCluster.Response r = whoamiWith(identity);
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().path("message").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void certificateUserHasCnOrganisationsUidAndCredentialId() throws Exception {
        Pki.Issued alice = Pki.issue(ca, "CN=alice,O=developers,O=qa,1.3.6.1.4.1.57683.2=uid-alice", List.of(),
                List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        TestCluster.Response r = whoamiWith(alice);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode u = r.json().path("status").path("userInfo");
        assertThat(u.path("username").asText()).isEqualTo("alice");
        assertThat(u.path("uid").asText()).isEqualTo("uid-alice");
        assertThat(u.path("groups").toString()).isEqualTo("[\"developers\",\"qa\",\"system:authenticated\"]");
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(alice.certificate().getEncoded()));
        assertThat(u.path("extra").path("authentication.kubernetes.io/credential-id").toString())
                .isEqualTo("[\"X509SHA256=" + fingerprint + "\"]");
    }

    @Test
    void kubectlWhoamiWithCertificate() throws Exception {
        Pki.Issued bob = Pki.issue(ca, "CN=bob,O=developers", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bob.certificate().getEncoded()));
        Path kc = c.kubeconfigWithCertificate(bob);
        TestCluster.Run run = c.kubectl("1.33", kc, "auth", "whoami");
        assertThat(run.exit()).as(run.stderr()).isZero();
        // kubectl's tabwriter pads the first column to the longest attribute name.
        assertThat(run.stdout()).isEqualTo("""
                ATTRIBUTE                                           VALUE
                Username                                            bob
                Groups                                              [developers system:authenticated]
                Extra: authentication.kubernetes.io/credential-id   [X509SHA256=%s]
                """.formatted(fingerprint));
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        Pki.Issued otherCa = Pki.selfSignedCa("other-ca", Duration.ofDays(1));
        Pki.Issued mallory = Pki.issue(otherCa, "CN=alice,O=system:masters", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        assertRefused(mallory);
    }

    @Test
    void certificateWithoutClientAuthUsageIsRefused() throws Exception {
        Pki.Issued server = Pki.issue(ca, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofHours(1));
        assertRefused(server);
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        // Issued with a negative validity: notAfter lies before now.
        Pki.Issued old = Pki.issue(ca, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofSeconds(-30));
        assertRefused(old);
    }

    @Test
    void certificateWithoutCommonNameIsNotALogin() throws Exception {
        Pki.Issued noCn = Pki.issue(ca, "O=developers", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        assertThat(whoamiWith(noCn).status()).isEqualTo(401);
    }
}
