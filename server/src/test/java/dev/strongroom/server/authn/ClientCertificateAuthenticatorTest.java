package dev.strongroom.server.authn;

import dev.strongroom.server.authn.x509.ClientCertificateAuthenticator;
import dev.strongroom.server.init.Pki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The certificate verdicts of the client-certificate authenticator itself, with Go's error texts. */
class ClientCertificateAuthenticatorTest {
    static final Pki.Issued CA = Pki.selfSignedCa("users-ca", Duration.ofDays(1));
    static final ClientCertificateAuthenticator AUTH = new ClientCertificateAuthenticator(List.of(CA.certificate()), Clock.systemUTC());

    private static AuthResult authenticate(X509Certificate... chain) {
        return AUTH.authenticate(new Credentials(null, List.of(chain)), List.of("aud"));
    }

    @Test
    void validCertificate() {
        Pki.Issued alice = Pki.issue(CA, "CN=alice,O=developers", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        AuthResult r = authenticate(alice.certificate());
        assertThat(r.authenticated()).isTrue();
        assertThat(r.user().name()).isEqualTo("alice");
        assertThat(r.user().groups()).containsExactly("developers");
    }

    @Test
    void intermediateFromThePeerChainIsUsed() throws Exception {
        // Go builds chains with the peer's other certificates as intermediates.
        Pki.Issued intermediate = intermediateCa(CA, "intermediate");
        Pki.Issued alice = Pki.issue(intermediate, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        assertThat(authenticate(alice.certificate(), intermediate.certificate()).authenticated()).isTrue();
        // Without the intermediate there is no chain to the client CA.
        assertThat(authenticate(alice.certificate()).error()).endsWith("x509: certificate signed by unknown authority");
    }

    static Pki.Issued intermediateCa(Pki.Issued parent, String cn) throws Exception {
        java.security.KeyPair kp = Pki.newKeyPair();
        java.time.Instant now = java.time.Instant.now();
        var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(parent.certificate(), java.math.BigInteger.valueOf(now.toEpochMilli()),
                java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(1))),
                new org.bouncycastle.asn1.x500.X500Name("CN=" + cn), kp.getPublic());
        b.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
        b.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.keyCertSign | org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
        var holder = b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(parent.key()));
        return new Pki.Issued(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder), kp.getPrivate());
    }

    @Test
    void otherCa() {
        Pki.Issued other = Pki.selfSignedCa("other", Duration.ofDays(1));
        Pki.Issued mallory = Pki.issue(other, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        AuthResult r = authenticate(mallory.certificate());
        assertThat(r.failed()).isTrue();
        assertThat(r.error()).startsWith("verifying certificate SN=" + mallory.certificate().getSerialNumber() + ", SKID=")
                .endsWith(" failed: x509: certificate signed by unknown authority");
    }

    @Test
    void serverAuthOnly() {
        Pki.Issued s = Pki.issue(CA, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofHours(1));
        assertThat(authenticate(s.certificate()).error()).endsWith("x509: certificate specifies an incompatible key usage");
    }

    @Test
    void expired() {
        Pki.Issued old = Pki.issue(CA, "CN=alice", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofSeconds(-30));
        assertThat(authenticate(old.certificate()).error()).contains("x509: certificate has expired or is not yet valid: current time ");
    }

    @Test
    void uidAttribute() {
        Pki.Issued two = Pki.issue(CA, "CN=alice,1.3.6.1.4.1.57683.2=a,1.3.6.1.4.1.57683.2=b", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        assertThat(authenticate(two.certificate()).error()).isEqualTo("expected 1 UID, but found multiple: [a b]");
        Pki.Issued one = Pki.issue(CA, "CN=alice,1.3.6.1.4.1.57683.2=u-1", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        assertThat(authenticate(one.certificate()).user().uid()).isEqualTo("u-1");
    }

    @Test
    void noCommonNameIsNotApplicable() {
        Pki.Issued noCn = Pki.issue(CA, "O=developers", List.of(), List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));
        AuthResult r = authenticate(noCn.certificate());
        assertThat(r.authenticated()).isFalse();
        assertThat(r.failed()).isFalse();
    }
}
