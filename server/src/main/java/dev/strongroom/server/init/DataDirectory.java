package dev.strongroom.server.init;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The data directory and what first start puts in it:
 * <pre>
 *   strongroom.db            the embedded store (SQLite, WAL)
 *   keys/local.keys          key-encryption keys (0600)
 *   pki/ca.{crt,key}         the CA that signs the serving certificate (and can sign client certificates)
 *   pki/serving.{crt,key}    the HTTPS certificate (SANs localhost, 127.0.0.1, ::1, --advertise-address)
 *   admin-token.sha256       the bootstrap admin token, as a hash only
 *   admin.kubeconfig         the only copy of the admin token (0600)
 * </pre>
 */
public final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;

    public DataDirectory(Path root) { this.root = root.toAbsolutePath().normalize(); }

    public Path root() { return root; }
    public Path database() { return root.resolve("strongroom.db"); }
    public Path keyFile() { return root.resolve("keys").resolve("local.keys"); }
    public Path caCert() { return root.resolve("pki").resolve("ca.crt"); }
    public Path caKey() { return root.resolve("pki").resolve("ca.key"); }
    public Path servingCert() { return root.resolve("pki").resolve("serving.crt"); }
    public Path servingKey() { return root.resolve("pki").resolve("serving.key"); }
    public Path adminTokenHash() { return root.resolve("admin-token.sha256"); }
    public Path adminKubeconfig() { return root.resolve("admin.kubeconfig"); }

    public void ensureExists() throws IOException {
        SecureFiles.privateDirectory(root);
        SecureFiles.privateDirectory(root.resolve("keys"));
        SecureFiles.privateDirectory(root.resolve("pki"));
    }

    /**
     * Makes sure a CA and a serving certificate covering {@code addresses} exist; reissues the serving certificate
     * when an address is missing or it expires within 30 days.
     */
    public void ensureServingCertificate(List<String> addresses) throws IOException {
        Set<String> sans = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        for (String a : addresses) if (a != null && !a.isBlank() && !Pki.isUnspecified(a)) sans.add(a);
        Pki.Issued ca = loadOrCreateCa();
        if (Files.exists(servingCert()) && Files.exists(servingKey())) {
            X509Certificate existing = readCertificate(servingCert());
            if (covers(existing, sans) && existing.getNotAfter().toInstant().isAfter(java.time.Instant.now().plus(Duration.ofDays(30)))) return;
            log.info("reissuing the serving certificate (addresses changed or it expires soon)");
        }
        Pki.Issued serving = Pki.issue(ca, "CN=strongroom", List.copyOf(sans), List.of(KeyPurposeId.id_kp_serverAuth), Duration.ofDays(365));
        SecureFiles.writePrivate(servingKey(), Pki.pem(serving.key()));
        SecureFiles.writePublic(servingCert(), Pki.pem(serving.certificate()));
    }

    public Pki.Issued loadOrCreateCa() throws IOException {
        if (Files.exists(caCert()) && Files.exists(caKey())) {
            return new Pki.Issued(readCertificate(caCert()), readKey(caKey()));
        }
        Pki.Issued ca = Pki.selfSignedCa("strongroom-ca", Duration.ofDays(3650));
        SecureFiles.writePrivate(caKey(), Pki.pem(ca.key()));
        SecureFiles.writePublic(caCert(), Pki.pem(ca.certificate()));
        log.info("created a certificate authority in {}", caCert().getParent());
        return ca;
    }

    private static boolean covers(X509Certificate cert, Set<String> sans) {
        try {
            var names = cert.getSubjectAlternativeNames();
            if (names == null) return false;
            Set<String> have = new LinkedHashSet<>();
            for (List<?> n : names) have.add(normalizeIp(String.valueOf(n.get(1))));
            for (String s : sans) if (!have.contains(normalizeIp(s))) return false;
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String normalizeIp(String s) {
        try {
            return Pki.isIp(s) ? java.net.InetAddress.getByName(s).getHostAddress() : s.toLowerCase();
        } catch (IOException e) {
            return s;
        }
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) throw new IOException(file + " does not start with a PEM certificate");
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    static java.security.PrivateKey readKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo pki) return c.getPrivateKey(pki);
            if (o instanceof org.bouncycastle.openssl.PEMKeyPair kp) return c.getKeyPair(kp).getPrivate();
            throw new IOException(file + " does not hold a PEM private key");
        }
    }

    /**
     * On first start: a random admin token, kept here only as its SHA-256, and written into admin.kubeconfig.
     *
     * @return the hex SHA-256 of the admin token
     */
    public String ensureAdminCredentials(String serverUrl, String caPem) throws IOException {
        if (Files.exists(adminTokenHash())) {
            return Files.readString(adminTokenHash(), StandardCharsets.UTF_8).trim();
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = HexFormat.of().formatHex(dev.strongroom.server.authn.TokenAuthenticator.sha256(token));
        SecureFiles.writePrivate(adminKubeconfig(), Kubeconfig.forToken(serverUrl, caPem, "strongroom-admin", token));
        SecureFiles.writePrivate(adminTokenHash(), hash + "\n");
        log.info("created the admin credentials: export KUBECONFIG={}", adminKubeconfig());
        return hash;
    }
}
