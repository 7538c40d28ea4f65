package dev.strongroom.api.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Go's {@code encoding/base64.StdEncoding}, which decodes Secret {@code data} on the real server. Java's decoders
 * differ in what they accept (Go skips {@code \r} and {@code \n} anywhere, tolerates non-zero trailing bits) and
 * in how they fail; kube-apiserver's message {@code illegal base64 data at input byte N} reaches users verbatim,
 * so this is a port of Go's {@code decodeQuantum} loop.
 */
public final class GoBase64 {
    private GoBase64() {}

    private static final byte[] DECODE = new byte[256];
    static {
        Arrays.fill(DECODE, (byte) 0xff);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) DECODE[alphabet.charAt(i)] = (byte) i;
    }

    /** Go's {@code base64.CorruptInputError}; {@link #offset()} counts bytes of the UTF-8 input. */
    public static final class CorruptInputException extends Exception {
        private final long offset;

        public CorruptInputException(long offset) {
            super("illegal base64 data at input byte " + offset, null, false, false);
            this.offset = offset;
        }

        public long offset() { return offset; }
    }

    /** Standard padded encoding, as Go's {@code StdEncoding.EncodeToString}. */
    public static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    public static byte[] decode(String s) throws CorruptInputException {
        return decode(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code StdEncoding.DecodeString}: the decoded bytes, or the first corrupt offset. */
    public static byte[] decode(byte[] src) throws CorruptInputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length / 4 * 3 + 3);
        int si = 0;
        while (si < src.length) {
            si = decodeQuantum(out, src, si);
        }
        return out.toByteArray();
    }

    /** One 4-character quantum starting at {@code si}; returns the next index (Go's {@code decodeQuantum}). */
    private static int decodeQuantum(ByteArrayOutputStream out, byte[] src, int si) throws CorruptInputException {
        int[] dbuf = new int[4];
        int dlen = 4;
        CorruptInputException trailing = null;
        for (int j = 0; j < dbuf.length; j++) {
            if (src.length == si) {
                if (j == 0) return si;
                // StdEncoding is padded: a quantum cut short without '=' is corrupt at its start.
                throw new CorruptInputException(si - j);
            }
            int in = src[si] & 0xff;
            si++;
            int v = DECODE[in] & 0xff;
            if (v != 0xff) {
                dbuf[j] = v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                j--;
                continue;
            }
            if (in != '=') throw new CorruptInputException(si - 1);
            // Padding: only valid after two or three data characters.
            switch (j) {
                case 0, 1 -> throw new CorruptInputException(si - 1);
                case 2 -> {
                    // "==" is expected; the first '=' is consumed. Newlines may sit between them.
                    while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
                    if (si == src.length) throw new CorruptInputException(src.length);
                    if (src[si] != '=') throw new CorruptInputException(si - 1);
                    si++;
                }
                default -> { }
            }
            while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
            if (si < src.length) trailing = new CorruptInputException(si); // data after the padding
            dlen = j;
            break;
        }
        int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
        byte b0 = (byte) (val >> 16), b1 = (byte) (val >> 8), b2 = (byte) val;
        switch (dlen) {
            case 4 -> { out.write(b0); out.write(b1); out.write(b2); }
            case 3 -> { out.write(b0); out.write(b1); }
            case 2 -> out.write(b0);
            default -> { }
        }
        if (trailing != null) throw trailing;
        return si;
    }
}
