package dev.strongroom.crypto;

/**
 * Quotes identifiers that come from stored bytes or providers (key ids, annotation keys) before they go into messages:
 * they are public, but a stored value is attacker-controlled input and must not be able to forge log lines.
 */
final class LogSafe {

    private static final int MAX_CHARS = 80;

    private LogSafe() {}

    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            if (i == MAX_CHARS) return out.append("\"...(").append(s.length()).append(" chars)").toString();
            char c = s.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c == 0x7F || Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
