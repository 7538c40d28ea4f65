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
 *   keys/audit-hmac.key      the audit HMAC key: secret values in audit events become HMACs under it (0600)
 *   keys/audit-checkpoint.key  Ed25519 key that signs audit checkpoints (0600)
 *   audit-checkpoint.pub     its public half, for `strongroom audit verify`
 *   audit/audit.log          the audit log, unless --audit-log-path says otherwise (directory 0700, file 0600)
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

    public Path auditDir() { return root.resolve("audit"); }
    public Path auditLog() { return auditDir().resolve("audit.log"); }
    public Path auditHmacKeyFile() { return root.resolve("keys").resolve("audit-hmac.key"); }
    public Path auditCheckpointKeyFile() { return root.resolve("keys").resolve("audit-checkpoint.key"); }
    public Path auditCheckpointPublicKeyFile() { return root.resolve("audit-checkpoint.pub"); }

    /** The per-installation audit HMAC key (32 random bytes, hex in a 0600 file), created on first use. */
    public byte[] ensureAuditHmacKey() throws IOException {
        Path f = auditHmacKeyFile();
        if (Files.exists(f)) {
            try {
                byte[] k = HexFormat.of().parseHex(Files.readString(f, StandardCharsets.UTF_8).trim());
                if (k.length >= 32) return k;
            } catch (IllegalArgumentException e) {
                // fall through
            }
            throw new IOException(f + " does not hold an audit HMAC key (64 hex digits)");
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        SecureFiles.writePrivate(f, HexFormat.of().formatHex(k) + "\n");
        log.info("created the audit HMAC key in {}", f);
        return k;
    }

    /** The Ed25519 key pair that signs audit checkpoints (private half 0600, public half beside the data), created on first use. */
    public java.security.KeyPair ensureAuditCheckpointKey() throws IOException {
        Path priv = auditCheckpointKeyFile();
        Path pub = auditCheckpointPublicKeyFile();
        try {
            java.security.KeyFactory kf = java.security.KeyFactory.getInstance("Ed25519");
            if (Files.exists(priv)) {
                java.security.PrivateKey k = kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pemBytes(priv, "PRIVATE KEY")));
                // The private key file carries its public half too, so losing the .pub copy loses nothing.
                java.security.PublicKey p = readAuditPublicKey(priv);
                if (!Files.exists(pub)) SecureFiles.writePublic(pub, pem("PUBLIC KEY", p.getEncoded()));
                return new java.security.KeyPair(p, k);
            }
            java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            SecureFiles.writePrivate(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()) + pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            SecureFiles.writePublic(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            log.info("created the audit checkpoint signing key in {} (public key: {})", priv, pub);
            return kp;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the audit checkpoint key " + priv + ": " + e.getMessage(), e);
        }
    }

    /** Reads an Ed25519 public key in PEM ("PUBLIC KEY"). */
    public static java.security.PublicKey readAuditPublicKey(Path file) throws IOException {
        try {
            return java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(pemBytes(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " does not hold an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBytes(Path file, String type) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        int b = s.indexOf("-----BEGIN " + type + "-----");
        int e = s.indexOf("-----END " + type + "-----");
        if (b < 0 || e < b) throw new IOException(file + " has no PEM " + type);
        return Base64.getMimeDecoder().decode(s.substring(b + ("-----BEGIN " + type + "-----").length(), e));
    }

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

    /** The bootstrap admin token: its hash (always) and the token itself only when it was just created. */
    public record AdminToken(String sha256Hex, String newToken) {}

    /**
     * On first start: a random admin token, kept here only as its SHA-256. The caller writes admin.kubeconfig with
     * {@link #writeAdminKubeconfig} once the server knows its address.
     */
    public AdminToken ensureAdminToken() throws IOException {
        if (Files.exists(adminTokenHash())) {
            return new AdminToken(Files.readString(adminTokenHash(), StandardCharsets.UTF_8).trim(), null);
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = HexFormat.of().formatHex(dev.strongroom.server.authn.TokenAuthenticator.sha256(token));
        SecureFiles.writePrivate(adminTokenHash(), hash + "\n");
        return new AdminToken(hash, token);
    }

    /** Writes the only copy of a newly created admin token into admin.kubeconfig (0600). */
    public void writeAdminKubeconfig(String serverUrl, String caPem, String token) throws IOException {
        SecureFiles.writePrivate(adminKubeconfig(), Kubeconfig.forToken(serverUrl, caPem, "strongroom-admin", token));
        log.info("created the admin credentials: export KUBECONFIG={}", adminKubeconfig());
    }
}
