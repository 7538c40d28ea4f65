package dev.strongroom.api.codec;

/**
 * Go's {@code encoding/json} syntax check ({@code checkValid}), run before decoding as Go does, so a malformed body
 * fails with Go's wording ({@code invalid character '}' looking for beginning of object key string},
 * {@code unexpected end of JSON input}) rather than Jackson's.
 */
final class GoJsonSyntax {
    private final byte[] d;
    private int i;

    private GoJsonSyntax(byte[] d) { this.d = d; }

    /** Null if {@code data} is one well-formed JSON value, else Go's error message. */
    static String check(byte[] data) {
        GoJsonSyntax s = new GoJsonSyntax(data);
        try {
            s.value();
            s.ws();
            if (s.i < data.length) throw s.bad("after top-level value");
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        }
    }

    private static final class SyntaxError extends Exception {
        SyntaxError(String m) { super(m, null, false, false); }
    }

    private SyntaxError eof() { return new SyntaxError("unexpected end of JSON input"); }

    private SyntaxError bad(String context) {
        return new SyntaxError("invalid character " + quoteChar(d[i] & 0xff) + " " + context);
    }

    private void ws() {
        while (i < d.length && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) i++;
    }

    private int peek() throws SyntaxError {
        if (i >= d.length) throw eof();
        return d[i] & 0xff;
    }

    private void value() throws SyntaxError {
        ws();
        int c = peek();
        switch (c) {
            case '{' -> { i++; object(); }
            case '[' -> { i++; array(); }
            case '"' -> { i++; string(); }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) number();
                else throw bad("looking for beginning of value");
            }
        }
    }

    private void object() throws SyntaxError {
        ws();
        if (peek() == '}') { i++; return; }
        while (true) {
            if (peek() != '"') throw bad("looking for beginning of object key string");
            i++;
            string();
            ws();
            if (peek() != ':') throw bad("after object key");
            i++;
            value();
            ws();
            int c = peek();
            if (c == '}') { i++; return; }
            if (c != ',') throw bad("after object key:value pair");
            i++;
            ws();
        }
    }

    private void array() throws SyntaxError {
        ws();
        if (peek() == ']') { i++; return; }
        while (true) {
            value();
            ws();
            int c = peek();
            if (c == ']') { i++; return; }
            if (c != ',') throw bad("after array element");
            i++;
        }
    }

    private void string() throws SyntaxError {
        while (true) {
            int c = peek();
            if (c == '"') { i++; return; }
            if (c == '\\') {
                i++;
                int e = peek();
                if (e == 'u') {
                    i++;
                    for (int k = 0; k < 4; k++) {
                        int h = peek();
                        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                            throw bad("in \\u hexadecimal character escape");
                        }
                        i++;
                    }
                    continue;
                }
                if ("\"\\/bfnrt".indexOf(e) < 0) throw bad("in string escape code");
                i++;
                continue;
            }
            if (c < 0x20) throw bad("in string literal");
            i++;
        }
    }

    private void number() throws SyntaxError {
        if (peek() == '-') {
            i++;
            int c = peek();
            if (c < '0' || c > '9') throw bad("in numeric literal");
        }
        if (peek() == '0') i++;
        else digits();
        if (i < d.length && d[i] == '.') {
            i++;
            int c = peek();
            if (c < '0' || c > '9') throw bad("after decimal point in numeric literal");
            digits();
        }
        if (i < d.length && (d[i] == 'e' || d[i] == 'E')) {
            i++;
            if (peek() == '+' || peek() == '-') i++;
            int c = peek();
            if (c < '0' || c > '9') throw bad("in exponent of numeric literal");
            digits();
        }
    }

    private void digits() {
        while (i < d.length && d[i] >= '0' && d[i] <= '9') i++;
    }

    private void literal(String word) throws SyntaxError {
        i++;
        for (int k = 1; k < word.length(); k++) {
            if (peek() != word.charAt(k)) throw bad("in literal " + word + " (expecting '" + word.charAt(k) + "')");
            i++;
        }
    }

    /** Go's {@code quoteChar}: the byte as a rune, quoted with single quotes. */
    static String quoteChar(int c) {
        if (c == '\'') return "'\\''";
        if (c == '"') return "'\"'";
        String body = switch (c) {
            case 7 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 11 -> "\\v";
            case '\\' -> "\\\\";
            default -> {
                if (c < 0x20 || c == 0x7f) yield String.format("\\x%02x", c);
                if (c >= 0x80 && c <= 0xa0 || c == 0xad) yield String.format("\\u%04x", c);
                yield String.valueOf((char) c);
            }
        };
        return "'" + body + "'";
    }
}
