package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * A growable byte buffer that writes JSON the way Go's encoding/json does: strings with {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 escaped, control characters as short or six-character escapes, everything else as UTF-8.
 * Events are built with it directly (no object tree) because the Metadata level runs on every request.
 */
public final class Bytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf;
    private int len;

    public Bytes(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    public int length() { return len; }

    public byte[] toArray() { return Arrays.copyOf(buf, len); }

    public ByteBuffer asBuffer() { return ByteBuffer.wrap(buf, 0, len); }

    public void clear() { len = 0; }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }

    public Bytes raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public Bytes raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public Bytes ch(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends text known to be ASCII and to need no escaping (field names, numbers, hex). */
    public Bytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    public Bytes number(long v) {
        if (v < 0) return ascii(Long.toString(v));
        ensure(20);
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        int p = len + digits;
        for (long x = v; p > len; x /= 10) buf[--p] = (byte) ('0' + (int) (x % 10));
        len += digits;
        return this;
    }

    /** Lower-case hex of {@code b}. */
    public Bytes hex(byte[] b) {
        ensure(b.length * 2);
        for (byte x : b) {
            buf[len++] = HEX[(x >> 4) & 0xF];
            buf[len++] = HEX[x & 0xF];
        }
        return this;
    }

    /** Appends the bytes of {@code other}. */
    public Bytes raw(Bytes other) { return raw(other.buf, 0, other.len); }

    /** Cuts the buffer back to {@code length} bytes. */
    public void truncate(int length) {
        if (length < 0 || length > len) throw new IllegalArgumentException("length");
        len = length;
    }

    /** The buffer's internal array (valid up to {@link #length}); for hashing without a copy. */
    byte[] array() { return buf; }

    /** {@code "name":} */
    public Bytes name(String n) {
        return ch('"').ascii(n).ch('"').ch(':');
    }

    /** A JSON string literal, escaped as Go does. */
    public Bytes string(String s) {
        int n = s.length();
        ensure(n * 6 + 2); // the worst case (every char a six-byte escape), so the loop needs no bounds checks
        byte[] b = buf;
        int p = len;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                    b[p++] = (byte) c;
                    continue;
                }
                b[p++] = '\\';
                switch (c) {
                    case '"' -> b[p++] = '"';
                    case '\\' -> b[p++] = '\\';
                    case '\n' -> b[p++] = 'n';
                    case '\r' -> b[p++] = 'r';
                    case '\t' -> b[p++] = 't';
                    default -> p = unicodeEscape(b, p, c);
                }
            } else if (c == '\u2028' || c == '\u2029') {
                b[p++] = '\\';
                p = unicodeEscape(b, p, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                p = utf8(b, p, Character.toCodePoint(c, s.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                p = utf8(b, p, 0xFFFD); // Go replaces invalid UTF-8 with U+FFFD
            } else {
                p = utf8(b, p, c);
            }
        }
        b[p++] = '"';
        len = p;
        return this;
    }

    /** Writes {@code uXXXX} (the backslash is already written). */
    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    private static int utf8(byte[] b, int p, int cp) {
        if (cp < 0x800) {
            b[p++] = (byte) (0xC0 | (cp >> 6));
            b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            b[p++] = (byte) (0xE0 | (cp >> 12));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            b[p++] = (byte) (0xF0 | (cp >> 18));
            b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (cp & 0x3F));
        }
        return p;
    }

    /** A JSON tree, compact, with this buffer's escaping. */
    public Bytes json(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return ascii("null");
        if (n.isObject()) {
            ch('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) ch(',');
                first = false;
                string(e.getKey()).ch(':').json(e.getValue());
            }
            return ch('}');
        }
        if (n.isArray()) {
            ch('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) ch(',');
                json(n.get(i));
            }
            return ch(']');
        }
        if (n.isTextual()) return string(n.textValue());
        if (n.isBinary()) return string(java.util.Base64.getEncoder().encodeToString(((com.fasterxml.jackson.databind.node.BinaryNode) n).binaryValue()));
        return ascii(n.asText()); // numbers and booleans
    }
}
