package dev.strongroom.crypto;

import java.util.Base64;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc5869TestCase1() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        byte[] prk = Hkdf.extract(salt, ikm);
        assertThat(HEX.formatHex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(Hkdf.expand(prk, info, 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869TestCase3EmptySaltAndInfo() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);

        byte[] prk = Hkdf.extract(new byte[0], ikm);
        assertThat(HEX.formatHex(prk)).isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        assertThat(HEX.formatHex(Hkdf.expand(prk, new byte[0], 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    /**
     * KMS v2 derives each value's key as HKDF-Expand(seed, info, 32) with no Extract; with one output block that is
     * HMAC-SHA256(seed, info || 0x01). The seed and info are those of the kube-apiserver v1.28 value in
     * upstream-kmsv2/, whose key was computed independently (Python hmac) and decrypts that value.
     */
    @Test
    void kmsV2DataKeyIsExpandOnlyOfTheSeed() throws Exception {
        byte[] seed = Base64.getDecoder().decode("/+WnKXQEM/AhXICYRNBeGk+WSuB+7OBuSYJTbP66Zyc=");
        byte[] info = HEX.parseHex("120f87aea2a2f54a1106d0be8a81b615df3448a3b769935e29e569e27ffd6fee");

        byte[] derived = Hkdf.expand(seed, info, 32);

        assertThat(HEX.formatHex(derived)).isEqualTo("5cad1e7c7388618e86009092cac3eef592e41b9af5df436a59c0ab9570ac0d7f");
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(seed, "HmacSHA256"));
        hmac.update(info);
        assertThat(derived).isEqualTo(hmac.doFinal(new byte[] {1}));
    }

    @Test
    void aKeyedPrototypeIsReusableAndReadsInfoAtAnOffset() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        Mac prototype = Hkdf.keyedMac(seed);
        byte[] buf = new byte[40];
        Arrays.fill(buf, 8, 40, (byte) 9);

        byte[] first = Hkdf.expand(prototype, buf, 8, 32, 32);
        byte[] second = Hkdf.expand(prototype, buf, 8, 32, 32);

        assertThat(first).isEqualTo(second).isEqualTo(Hkdf.expand(seed, Arrays.copyOfRange(buf, 8, 40), 32));
    }
}
