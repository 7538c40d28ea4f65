package dev.strongroom.server.authn.x509;

import dev.strongroom.server.authn.AuthResult;
import dev.strongroom.server.authn.Authenticator;
import dev.strongroom.server.authn.Credentials;
import dev.strongroom.server.authn.UserInfo;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1NumericString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * X.509 client certificates ({@code --client-ca-file}; apiserver's {@code request/x509}). The TLS layer only asks
 * for a certificate; this authenticator verifies it as Go's {@code x509.Certificate.Verify} does with
 * {@code KeyUsages: [ClientAuth]}: a chain from the leaf (with the peer's other certificates as intermediates) to a
 * CA of the bundle, every certificate within its validity period, and the chain's extended key usages permitting
 * client authentication (a certificate without the extension permits any usage, as in Go).
 *
 * <p>The user is the Subject CN (none: not authenticated), each Subject O a group, the UID the single Subject
 * attribute 1.3.6.1.4.1.57683.2, and extra {@code authentication.kubernetes.io/credential-id: X509SHA256=<hex>}.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
    static final ASN1ObjectIdentifier UID_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.57683.2");
    static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EKU_OID = "2.5.29.37.0";
    private static final DateTimeFormatter GO_RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public ClientCertificateAuthenticator(List<X509Certificate> caBundle, Clock clock) {
        if (caBundle.isEmpty()) throw new IllegalArgumentException("the client CA bundle holds no certificate");
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : caBundle) a.add(new TrustAnchor(c, null));
        this.anchors = Set.copyOf(a);
        this.clock = clock;
    }

    /** Reads a PEM bundle of CA certificates, as {@code --client-ca-file}. */
    public static List<X509Certificate> readBundle(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IOException(file + " holds no PEM certificate");
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the client CA bundle " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public AuthResult authenticate(Credentials credentials, List<String> audiences) {
        List<X509Certificate> peer = credentials.peerCertificates();
        if (peer.isEmpty()) return AuthResult.none();
        X509Certificate leaf = peer.get(0);
        String failure = verify(peer);
        if (failure != null) return AuthResult.failed("verifying certificate " + identifier(leaf) + " failed: " + failure);
        return user(leaf);
    }

    /** @return null if the chain verifies for client auth, else Go's error text */
    String verify(List<X509Certificate> peer) {
        X509Certificate leaf = peer.get(0);
        Instant now = clock.instant();
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return expiredMessage(leaf, now);
        }
        List<X509Certificate> chain;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(peer)));
            PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            chain = new ArrayList<>();
            for (Certificate c : r.getCertPath().getCertificates()) chain.add((X509Certificate) c);
            chain.add(r.getTrustAnchor().getTrustedCert());
        } catch (CertPathBuilderException e) {
            for (X509Certificate c : peer) {
                try {
                    c.checkValidity(Date.from(now));
                } catch (CertificateExpiredException | CertificateNotYetValidException ex) {
                    return expiredMessage(c, now);
                }
            }
            return "x509: certificate signed by unknown authority";
        } catch (InvalidAlgorithmParameterException | java.security.NoSuchAlgorithmException e) {
            return "x509: " + e.getMessage();
        }
        if (!chainAllowsClientAuth(chain)) return "x509: certificate specifies an incompatible key usage";
        return null;
    }

    private static String expiredMessage(X509Certificate c, Instant now) {
        boolean after = now.isAfter(c.getNotAfter().toInstant());
        return "x509: certificate has expired or is not yet valid: current time " + GO_RFC3339.format(now)
                + (after ? " is after " + GO_RFC3339.format(c.getNotAfter().toInstant()) : " is before " + GO_RFC3339.format(c.getNotBefore().toInstant()));
    }

    /** Go's {@code checkChainForKeyUsage} for {@code [ExtKeyUsageClientAuth]}, root to leaf. */
    static boolean chainAllowsClientAuth(List<X509Certificate> leafToRoot) {
        for (int i = leafToRoot.size() - 1; i >= 0; i--) {
            List<String> eku;
            try {
                eku = leafToRoot.get(i).getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                return false;
            }
            if (eku == null || eku.isEmpty()) continue; // no extension: good for any usage
            if (eku.contains(ANY_EKU_OID)) continue;
            if (!eku.contains(CLIENT_AUTH_OID)) return false;
        }
        return true;
    }

    /** Go's {@code CommonNameUserConversion}. */
    static AuthResult user(X509Certificate leaf) {
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        String cn = "";
        List<String> orgs = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                boolean isUid = atv.getType().equals(UID_OID);
                String value = goString(atv.getValue());
                if (value == null) {
                    if (isUid) return AuthResult.failed("unable to parse UID into a string");
                    continue;
                }
                if (atv.getType().equals(BCStyle.CN)) cn = value;
                else if (atv.getType().equals(BCStyle.O)) orgs.add(value);
                else if (isUid) uids.add(value);
            }
        }
        if (cn.isEmpty()) return AuthResult.none();
        String uid = "";
        if (uids.size() > 1) return AuthResult.failed("expected 1 UID, but found multiple: [" + String.join(" ", uids) + "]");
        if (uids.size() == 1) {
            if (uids.get(0).isEmpty()) return AuthResult.failed("UID cannot be an empty string");
            uid = uids.get(0);
        }
        String fingerprint;
        try {
            fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (GeneralSecurityException e) {
            return AuthResult.failed("x509: " + e.getMessage());
        }
        return AuthResult.ok(new UserInfo(cn, uid, List.copyOf(orgs), Map.of(UserInfo.CREDENTIAL_ID, List.of("X509SHA256=" + fingerprint))), List.of());
    }

    /** The string types Go's asn1 decodes into a {@code string} (others are skipped as in {@code FillFromRDNSequence}). */
    private static String goString(ASN1Encodable v) {
        if (v instanceof ASN1UTF8String || v instanceof ASN1PrintableString || v instanceof ASN1IA5String
                || v instanceof ASN1T61String || v instanceof ASN1BMPString || v instanceof ASN1NumericString) {
            return ((ASN1String) v).getString();
        }
        return null;
    }

    /** {@code certificateIdentifier}: {@code SN=<serial>, SKID=<AA:BB>, AKID=<AA:BB>}. */
    static String identifier(X509Certificate c) {
        return "SN=" + c.getSerialNumber() + ", SKID=" + colonHex(keyId(c, "2.5.29.14", false)) + ", AKID=" + colonHex(keyId(c, "2.5.29.35", true));
    }

    private static byte[] keyId(X509Certificate c, String oid, boolean authority) {
        byte[] ext = c.getExtensionValue(oid);
        if (ext == null) return new byte[0];
        try {
            org.bouncycastle.asn1.ASN1Primitive p = org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets().length == 0 ? null
                    : org.bouncycastle.asn1.ASN1Primitive.fromByteArray(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets());
            if (p == null) return new byte[0];
            if (authority) {
                org.bouncycastle.asn1.ASN1OctetString id = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(p).getKeyIdentifierObject();
                return id == null ? new byte[0] : id.getOctets();
            }
            return org.bouncycastle.asn1.ASN1OctetString.getInstance(p).getOctets();
        } catch (IOException | IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String colonHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format(Locale.ROOT, "%02X", b[i]));
        }
        return sb.toString();
    }
}
