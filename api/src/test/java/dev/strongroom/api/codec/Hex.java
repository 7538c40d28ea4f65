package dev.strongroom.api.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Reads the hex dumps of the reference document: hex byte pairs and "quoted ASCII" runs, whitespace ignored. */
final class Hex {
    private Hex() {}

    static byte[] parse(String dump) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < dump.length()) {
            char c = dump.charAt(i);
            if (Character.isWhitespace(c)) { i++; continue; }
            if (c == '"') {
                int end = dump.indexOf('"', i + 1);
                out.writeBytes(dump.substring(i + 1, end).getBytes(StandardCharsets.US_ASCII));
                i = end + 1;
                continue;
            }
            out.write(Integer.parseInt(dump.substring(i, i + 2), 16));
            i += 2;
        }
        return out.toByteArray();
    }
}
