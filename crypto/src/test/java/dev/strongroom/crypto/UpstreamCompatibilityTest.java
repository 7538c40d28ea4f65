package dev.strongroom.crypto;

import java.io.UncheckedIOException;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import dev.strongroom.crypto.ValueTransformer.FromStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Values written by real kube-apiservers (recorded by upstream, see the .hex files in upstream-kmsv2/) must decrypt
 * here, and what we write must have their exact layout: that is what lets an etcd written by Kubernetes be served by
 * Strongroom and the other way round.
 */
class UpstreamCompatibilityTest {

    private static final String PREFIX = "k8s:enc:kms:v2:kms-provider:";
    private static final String ETCD_PREFIX = "/43da1478-5e9c-4ef3-a92a-2b19d540c8a5/registry/secrets/kms-v2-legacy-data/";
    private static final String SECRET_VALUE = "086a7ffc-0225-11e8-ba89-0ed5f89f718b"; // upstream's test secret

    /**
     * Upstream's own test KMS plugin ({@code Base64Plugin} in kmsv2 testing), with which the recorded values were
     * written: "wrapping" is base64, the key id is "1", and it insists on its annotation. A stand-in is needed because
     * the recordings can only be read with the plugin that wrote them; it is not a mock of anything of ours.
     */
    static final class Base64Plugin implements KeyProvider {
        static final String ANNOTATION = "local-kek.kms.kubernetes.io";
        volatile String keyId = "1";

        @Override public String name() { return "kms-provider"; }

        @Override public String currentKeyId() { return keyId; }

        @Override
        public WrappedSeed wrap(byte[] seed) {
            return new WrappedSeed(keyId, Base64.getEncoder().encode(seed),
                    Map.of(ANNOTATION, "encrypted-local-kek".getBytes(UTF_8)));
        }

        @Override
        public byte[] unwrap(WrappedSeed wrapped) {
            byte[] annotation = wrapped.annotations().get(ANNOTATION);
            if (annotation == null || !new String(annotation, UTF_8).equals("encrypted-local-kek")) {
                throw new DecryptionException("missing annotation " + ANNOTATION);
            }
            return Base64.getDecoder().decode(wrapped.ciphertext());
        }
    }

    static byte[] recorded(String name) {
        try (InputStream in = UpstreamCompatibilityTest.class.getResourceAsStream("/upstream-kmsv2/" + name)) {
            String hex = new String(in.readAllBytes(), UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .collect(Collectors.joining());
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] V1_28 = recorded("v1.28-hkdf-sha256-xnonce-aes-gcm-seed.hex");
    private static final byte[] V1_27 = recorded("v1.27-aes-gcm-key.hex");
    private static final byte[] V1_28_KEY = (ETCD_PREFIX + "dek-source-hkdf-sha256-xnonce-aes-gcm-seed").getBytes(UTF_8);
    private static final byte[] V1_27_KEY = (ETCD_PREFIX + "dek-source-aes-gcm-key").getBytes(UTF_8);

    @Test
    void decryptsASecretWrittenByKubeApiserver128() {
        FromStorage read = new EnvelopeTransformer(new Base64Plugin()).transformFromStorage(V1_28, V1_28_KEY);

        String plaintext = new String(read.plaintext(), UTF_8);
        assertThat(plaintext).startsWith("k8s\0").contains("v1", "Secret", "dek-source-hkdf-sha256-xnonce-aes-gcm-seed",
                "87c514b4-9c26-4041-ad0d-0d07dca557ed", "api_key", SECRET_VALUE, "Opaque");
        assertThat(read.stale()).isFalse();
    }

    @Test
    void decryptsALegacyDataKeyValueWrittenByKubeApiserver127AndReportsItStale() {
        FromStorage read = new EnvelopeTransformer(new Base64Plugin()).transformFromStorage(V1_27, V1_27_KEY);

        assertThat(new String(read.plaintext(), UTF_8)).startsWith("k8s\0").contains("dek-source-aes-gcm-key",
                "1f4a8f7b-01b4-49d1-b898-751eb56937f1", SECRET_VALUE);
        assertThat(read.stale()).isTrue();
    }

    @Test
    void upstreamValuesAreBoundToTheirEtcdKeyAndTheirKeyId() {
        EnvelopeTransformer t = new EnvelopeTransformer(new Base64Plugin());
        assertThatThrownBy(() -> t.transformFromStorage(V1_28, V1_27_KEY)).isInstanceOf(DecryptionException.class);

        Base64Plugin rotated = new Base64Plugin();
        rotated.keyId = "2";
        assertThat(new EnvelopeTransformer(rotated).transformFromStorage(V1_28, V1_28_KEY).stale()).isTrue();
    }

    @Test
    void reencodingAnUpstreamObjectReproducesItByteForByte() {
        EncryptedObject o = EncryptedObject.decode(V1_28, PREFIX.length(), V1_28.length - PREFIX.length());

        assertThat(o.keyId()).isEqualTo("1");
        assertThat(o.dekSourceType()).isEqualTo(DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED);
        assertThat(o.encryptedData()).hasSize(465);
        assertThat(new String(o.encryptedDekSource(), UTF_8)).isEqualTo("/+WnKXQEM/AhXICYRNBeGk+WSuB+7OBuSYJTbP66Zyc=");
        assertThat(o.annotations()).containsOnlyKeys(Base64Plugin.ANNOTATION);
        assertThat(o.encode()).isEqualTo(Arrays.copyOfRange(V1_28, PREFIX.length(), V1_28.length));

        EncryptedObject legacy = EncryptedObject.decode(V1_27, PREFIX.length(), V1_27.length - PREFIX.length());
        assertThat(legacy.dekSourceType()).isEqualTo(DekSourceType.AES_GCM_KEY);
        assertThat(legacy.encode()).isEqualTo(Arrays.copyOfRange(V1_27, PREFIX.length(), V1_27.length));
    }

    @Test
    void ourValuesHaveUpstreamsLayoutAndTrailingFieldsByteForByte() {
        Base64Plugin plugin = new Base64Plugin();
        byte[] plaintext = "k8s\0...".getBytes(UTF_8);
        byte[] stored = new EnvelopeTransformer(plugin).transformToStorage(plaintext, V1_28_KEY);

        assertThat(new String(stored, 0, PREFIX.length(), UTF_8)).isEqualTo(PREFIX);
        EncryptedObject ours = EncryptedObject.decode(stored, PREFIX.length(), stored.length - PREFIX.length());
        // Fields 2-5 as Go's proto.Marshal writes them, for the same plugin output.
        byte[] expectedTail = new EncryptedObject(new byte[] {0}, ours.keyId(), ours.encryptedDekSource(),
                ours.annotations(), ours.dekSourceType()).encode();
        byte[] upstreamTail = tailAfterField1(V1_28);
        byte[] upstreamStyle = EncryptedObject.encodeHeader("1",
                "/+WnKXQEM/AhXICYRNBeGk+WSuB+7OBuSYJTbP66Zyc=".getBytes(UTF_8),
                Map.of(Base64Plugin.ANNOTATION, "encrypted-local-kek".getBytes(UTF_8)),
                DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED);
        assertThat(upstreamStyle).isEqualTo(upstreamTail);
        assertThat(tailAfterField1(stored)).isEqualTo(Arrays.copyOfRange(expectedTail, 3, expectedTail.length));
        assertThat(ours.encryptedData()).hasSize(32 + 12 + plaintext.length + 16);
    }

    /** The bytes after field 1 (tag 0x0a, varint length, data) of a prefixed value. */
    private static byte[] tailAfterField1(byte[] stored) {
        int pos = PREFIX.length();
        assertThat(stored[pos]).isEqualTo((byte) 0x0a);
        pos++;
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = stored[pos++];
            length |= (long) (b & 0x7f) << shift;
            if (b >= 0) break;
        }
        return Arrays.copyOfRange(stored, pos + (int) length, stored.length);
    }
}
