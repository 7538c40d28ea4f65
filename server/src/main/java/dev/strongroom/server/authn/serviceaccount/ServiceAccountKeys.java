package dev.strongroom.server.authn.serviceaccount;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.init.SecureFiles;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.KeyFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The service-account signing key and the public keys that verify service-account tokens, as kube-apiserver's
 * {@code --service-account-signing-key-file} and {@code --service-account-key-file}. Without a signing key file,
 * an RSA-2048 key is generated on first start into {@code <data-dir>/pki/sa.key} (mode 0600) and reused after.
 * Key IDs are upstream's {@code keyIDFromPublicKey}: base64url(SHA-256(DER SubjectPublicKeyInfo)). Private key
 * material is never logged or printed ({@link #toString()} names only the key ID).
 */
public final class ServiceAccountKeys {
    /** One verification key. */
    public record VerificationKey(String keyId, String algorithm, PublicKey key) {}

    private final PrivateKey signingKey;
    private final String signingKeyId;
    private final String signingAlgorithm;
    private final List<VerificationKey> verificationKeys;

    private ServiceAccountKeys(PrivateKey signingKey, PublicKey signingPublic, List<PublicKey> extra) {
        this.signingKey = signingKey;
        this.signingKeyId = keyId(signingPublic);
        this.signingAlgorithm = algorithm(signingPublic);
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        keys.put(signingKeyId, new VerificationKey(signingKeyId, signingAlgorithm, signingPublic));
        for (PublicKey k : extra) keys.putIfAbsent(keyId(k), new VerificationKey(keyId(k), algorithm(k), k));
        this.verificationKeys = List.copyOf(keys.values());
    }

    /**
     * @param signingKeyFile a PEM private key (RSA or ECDSA P-256/384/521), or null to generate/reuse {@code generated}
     * @param keyFiles       further PEM files of public keys, certificates or private keys that verify tokens
     */
    public static ServiceAccountKeys load(Path signingKeyFile, List<Path> keyFiles, Path generated) throws IOException {
        PrivateKey priv;
        if (signingKeyFile != null) {
            priv = readPrivateKey(signingKeyFile);
        } else if (Files.exists(generated)) {
            priv = readPrivateKey(generated);
        } else {
            priv = generate();
            SecureFiles.writePrivate(generated, pem(priv));
        }
        List<PublicKey> extra = new ArrayList<>();
        for (Path f : keyFiles) extra.addAll(readPublicKeys(f));
        return new ServiceAccountKeys(priv, publicOf(priv), extra);
    }

    static PrivateKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            return kp.getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the service-account signing key", e);
        }
    }

    public String signingKeyId() { return signingKeyId; }

    public String signingAlgorithm() { return signingAlgorithm; }

    public List<VerificationKey> verificationKeys() { return verificationKeys; }

    /** Keys to try for a token with header {@code kid} (all keys when it has none), as {@code GetPublicKeys}. */
    public List<VerificationKey> keysFor(String kid) {
        if (kid == null || kid.isEmpty()) return verificationKeys;
        List<VerificationKey> out = new ArrayList<>();
        for (VerificationKey k : verificationKeys) if (k.keyId().equals(kid)) out.add(k);
        return out;
    }

    /** Signs {@code signingInput} (header.payload) with the signing key; JWS signature bytes. */
    byte[] sign(byte[] signingInput) {
        try {
            Signature s = Signature.getInstance(jcaName(signingAlgorithm));
            s.initSign(signingKey);
            s.update(signingInput);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a service-account token: " + e.getMessage(), e);
        }
    }

    /** Verifies a JWS signature made with {@code alg} by {@code key}. */
    static boolean verify(VerificationKey key, String alg, byte[] signingInput, byte[] signature) {
        if (!key.algorithm().equals(alg)) return false;
        try {
            Signature s = Signature.getInstance(jcaName(alg));
            s.initVerify(key.key());
            s.update(signingInput);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String jcaName(String alg) {
        return switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "ES512" -> "SHA512withECDSAinP1363Format";
            default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
        };
    }

    /** {@code keyIDFromPublicKey}. */
    public static String keyId(PublicKey k) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(k.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String algorithm(PublicKey k) {
        if (k instanceof RSAPublicKey) return "RS256";
        if (k instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> throw new IllegalArgumentException("unknown private key curve, must be 256, 384, or 521");
            };
        }
        throw new IllegalArgumentException("unsupported service-account key type " + k.getAlgorithm() + ", must be RSA or ECDSA");
    }

    /** The JWKS document served at {@code /openid/v1/jwks}, go-jose's field order. */
    public ObjectNode jwks() {
        ObjectNode doc = Json.object();
        ArrayNode keys = doc.putArray("keys");
        for (VerificationKey k : verificationKeys) {
            ObjectNode j = keys.addObject();
            j.put("use", "sig");
            if (k.key() instanceof RSAPublicKey rsa) {
                j.put("kty", "RSA");
                j.put("kid", k.keyId());
                j.put("alg", k.algorithm());
                j.put("n", b64(unsigned(rsa.getModulus())));
                j.put("e", b64(unsigned(rsa.getPublicExponent())));
            } else if (k.key() instanceof ECPublicKey ec) {
                int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
                j.put("kty", "EC");
                j.put("kid", k.keyId());
                j.put("crv", "P-" + ec.getParams().getCurve().getField().getFieldSize());
                j.put("alg", k.algorithm());
                j.put("x", b64(fixed(ec.getW().getAffineX(), size)));
                j.put("y", b64(fixed(ec.getW().getAffineY(), size)));
            }
        }
        return doc;
    }

    /** {@code id_token_signing_alg_values_supported}: the algorithms of the keys, sorted. */
    public List<String> algorithms() {
        TreeSet<String> s = new TreeSet<>();
        for (VerificationKey k : verificationKeys) s.add(k.algorithm());
        return List.copyOf(s);
    }

    private static String b64(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) return java.util.Arrays.copyOfRange(b, 1, b.length);
        return b;
    }

    private static byte[] fixed(BigInteger v, int size) {
        byte[] b = unsigned(v);
        if (b.length == size) return b;
        byte[] out = new byte[size];
        System.arraycopy(b, 0, out, size - b.length, b.length);
        return out;
    }

    static PublicKey publicOf(PrivateKey priv) throws IOException {
        try {
            if (priv instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (priv instanceof ECPrivateKey ec) {
                org.bouncycastle.jce.spec.ECParameterSpec spec = org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(ec.getParams());
                org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(ec.getS()).normalize();
                java.security.spec.ECPoint w = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot derive the public key: " + e.getMessage(), e);
        }
        throw new IOException("unsupported private key type " + priv.getAlgorithm() + ", must be RSA or ECDSA");
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.UTF_8);
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo pki) return c.getPrivateKey(pki);
                if (o instanceof PEMKeyPair kp) return c.getKeyPair(kp).getPrivate();
            }
        }
        // Say which file, never what it held.
        throw new IOException("no private key found in " + file);
    }

    /** Public keys in a PEM file: PUBLIC KEY, certificates, or private keys (their public halves), as keyutil. */
    static List<PublicKey> readPublicKeys(Path file) throws IOException {
        List<PublicKey> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof SubjectPublicKeyInfo spki) out.add(c.getPublicKey(spki));
                else if (o instanceof X509CertificateHolder h) out.add(c.getPublicKey(h.getSubjectPublicKeyInfo()));
                else if (o instanceof PEMKeyPair kp) out.add(c.getKeyPair(kp).getPublic());
                else if (o instanceof PrivateKeyInfo pki) out.add(publicOf(c.getPrivateKey(pki)));
            }
        }
        if (out.isEmpty()) throw new IOException("no public keys found in " + file);
        for (PublicKey k : out) algorithm(k);
        return out;
    }

    static String pem(PrivateKey k) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(new JcaPKCS8Generator(k, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    @Override
    public String toString() { return "ServiceAccountKeys[kid=" + signingKeyId + ", alg=" + signingAlgorithm + "]"; }
}
