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

    public Bytes number(long v) { return ascii(Long.toString(v)); }

    /** {@code "name":} */
    public Bytes name(String n) {
        return ch('"').ascii(n).ch('"').ch(':');
    }

    /** A JSON string literal, escaped as Go does. */
    public Bytes string(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                    ensure(1);
                    buf[len++] = (byte) c;
                    continue;
                }
                switch (c) {
                    case '"' -> ascii("\\\"");
                    case '\\' -> ascii("\\\\");
                    case '\n' -> ascii("\\n");
                    case '\r' -> ascii("\\r");
                    case '\t' -> ascii("\\t");
                    default -> unicodeEscape(c);
                }
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, s.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                utf8(0xFFFD); // Go replaces invalid UTF-8 with U+FFFD
            } else {
                utf8(c);
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    private void unicodeEscape(char c) {
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void utf8(int cp) {
        ensure(4);
        if (cp < 0x800) {
            buf[len++] = (byte) (0xC0 | (cp >> 6));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xE0 | (cp >> 12));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            buf[len++] = (byte) (0xF0 | (cp >> 18));
            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        }
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
