package dev.strongroom.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptedObjectTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final DekSourceType SEED = DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED;

    private static EncryptedObject sample() {
        Map<String, byte[]> annotations = new LinkedHashMap<>();
        annotations.put("version.encryption.remote.io", "1".getBytes(UTF_8));
        annotations.put("a.example.com", new byte[] {0, 1, 2});
        return new EncryptedObject(new byte[] {1, 2, 3}, "key-1", new byte[] {9, 9}, annotations, SEED);
    }

    @Test
    void encodesFieldsInNumberOrderLikeGoProtobuf() {
        EncryptedObject o = new EncryptedObject(new byte[] {1, 2, 3}, "k", new byte[] {9}, Map.of(), SEED);
        // 1: 0a 03 010203 | 2: 12 01 'k' | 3: 1a 01 09 | 5: 28 01
        assertThat(HEX.formatHex(o.encode())).isEqualTo("0a03010203" + "12016b" + "1a0109" + "2801");
    }

    @Test
    void roundTripsWithAnnotations() {
        EncryptedObject o = sample();
        byte[] wire = o.encode();

        EncryptedObject back = EncryptedObject.decode(wire, 0, wire.length);

        assertThat(back.encryptedData()).isEqualTo(o.encryptedData());
        assertThat(back.keyId()).isEqualTo("key-1");
        assertThat(back.encryptedDekSource()).isEqualTo(o.encryptedDekSource());
        assertThat(back.annotations()).containsOnlyKeys("version.encryption.remote.io", "a.example.com");
        assertThat(back.annotations().get("a.example.com")).containsExactly(0, 1, 2);
        assertThat(back.dekSourceType()).isEqualTo(SEED);
        assertThat(back.encode()).isEqualTo(wire);
    }

    @Test
    void decodesAtAnOffsetAndSkipsUnknownFieldsLikeProtobuf() {
        byte[] body = new EncryptedObject(new byte[] {1}, "k", new byte[] {9}, Map.of(), SEED).encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("junk".getBytes(UTF_8));
        out.writeBytes(hex("3096 01"));            // field 6 varint 150
        out.writeBytes(hex("3d 01020304"));        // field 7 fixed32
        out.writeBytes(hex("41 0102030405060708")); // field 8 fixed64
        out.writeBytes(hex("4a 02 ffff"));         // field 9 bytes
        out.writeBytes(hex("10 05"));              // field 2 with the wrong wire type: skipped
        out.writeBytes(body);
        out.writeBytes(hex("12 02 6b32"));         // keyID again: the last one wins
        byte[] wire = out.toByteArray();

        EncryptedObject o = EncryptedObject.decode(wire, 4, wire.length - 4);

        assertThat(o.keyId()).isEqualTo("k2");
        assertThat(o.encryptedData()).containsExactly(1);
    }

    @Test
    void aMissingTypeIsTheLegacyAesGcmKey() {
        byte[] wire = hex("0a0101" + "12016b" + "1a0109");
        assertThat(EncryptedObject.decode(wire, 0, wire.length).dekSourceType()).isEqualTo(DekSourceType.AES_GCM_KEY);
    }

    @Test
    void rejectsWhatUpstreamValidationRejects() {
        byte[] data = {1};
        byte[] src = {9};
        assertRejected(new EncryptedObject(new byte[0], "k", src, Map.of(), SEED).encode(), "encrypted data is empty");
        assertRejected(hex("0a0101" + "1a0109" + "2801"), "keyID is empty");
        assertRejected(hex("0a0101" + "12016b" + "2801"), "encrypted DEK source is empty");
        assertRejected(hex("0a0101" + "12016b" + "1a0109" + "2807"), "unknown encryptedDEKSourceType 7");
        assertRejected(hex("0a0101" + "1201ff" + "1a0109"), "not valid UTF-8");

        assertThatThrownBy(() -> EncryptedObject.encodeHeader("k".repeat(1025), src, Map.of(), SEED))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("keyID is 1025 bytes");
        assertThatThrownBy(() -> EncryptedObject.encodeHeader("k", new byte[1025], Map.of(), SEED))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("1025 bytes");
        assertThatThrownBy(() -> EncryptedObject.encodeHeader("k", src,
                Map.of("big.example.com", new byte[32 * 1024]), SEED))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("total size of annotations");
        assertThatThrownBy(() -> EncryptedObject.encodeHeader("k", data,
                Map.of("kms.example.io/remote-kms-auditid", data), SEED)) // the docs' example; upstream code rejects it
                .isInstanceOf(DecryptionException.class).hasMessageContaining("not a fully qualified domain name");
    }

    @Test
    void annotationKeysMustBeFullyQualifiedDomainNames() {
        assertThat(EncryptedObject.isFullyQualifiedDomainName("version.encryption.remote.io")).isTrue();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("local-kek.kms.kubernetes.io")).isTrue();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("example.com.")).isTrue();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("localhost")).isFalse();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("Upper.example.com")).isFalse();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("-a.example.com")).isFalse();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("a..example.com")).isFalse();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("a".repeat(64) + ".com")).isFalse();
        assertThat(EncryptedObject.isFullyQualifiedDomainName("")).isFalse();
    }

    @Test
    void truncationFailsOnlyWithDecryptionException() {
        // A cut at a field boundary is still valid protobuf (proto3 cannot tell), which is why the transformer's
        // authenticated decryption, not the parser, is what detects it; the parser must just never fail otherwise.
        byte[] wire = sample().encode();
        for (int n = 0; n < wire.length; n++) {
            byte[] cut = Arrays.copyOf(wire, n);
            Throwable thrown = catchThrowable(() -> EncryptedObject.decode(cut, 0, cut.length));
            if (thrown != null) assertThat(thrown).as("truncated to %d bytes", n).isInstanceOf(DecryptionException.class);
        }
        byte[] midField = Arrays.copyOf(wire, 3);
        assertThatThrownBy(() -> EncryptedObject.decode(midField, 0, midField.length))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void rejectsGroupsAndOverlongVarints() {
        assertRejected(hex("0b"), "unsupported wire type 3");
        assertRejected(hex("0a ffffffffffffffffffff01"), "varint longer than 10 bytes");
        assertRejected(hex("0a 05 01"), "runs past the end");
    }

    @Test
    void seedCacheKeyHasUpstreamsLengthPrefixedLayout() {
        byte[] key = EncryptedObject.seedCacheKey(SEED, new byte[] {9, 8}, "k",
                Map.of("b.io.x", new byte[] {1}, "a.io.x", new byte[0]));
        assertThat(HEX.formatHex(key)).isEqualTo(
                "00000001" + "0002" + "0908" + "0001" + "6b" + "00000002"
                        + "0006" + HEX.formatHex("a.io.x".getBytes(UTF_8)) + "0000"
                        + "0006" + HEX.formatHex("b.io.x".getBytes(UTF_8)) + "0001" + "01");
        assertThat(EncryptedObject.seedCacheKey(SEED, new byte[] {9, 8}, "k", Map.of()))
                .isEqualTo(hex("00000001" + "00020908" + "00016b"));
    }

    @Test
    void toStringShowsMetadataOnly() {
        assertThat(sample().toString()).contains("key-1", "HKDF_SHA256_XNONCE_AES_GCM_SEED", "3 bytes")
                .doesNotContain("[B@");
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    private static void assertRejected(byte[] wire, String message) {
        assertThatThrownBy(() -> EncryptedObject.decode(wire, 0, wire.length))
                .isInstanceOf(DecryptionException.class).hasMessageContaining(message);
    }
}
