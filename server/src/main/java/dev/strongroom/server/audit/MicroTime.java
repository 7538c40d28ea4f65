package dev.strongroom.server.audit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** {@code metav1.MicroTime} as JSON: RFC 3339 in UTC with exactly six fractional digits. */
final class MicroTime {
    private MicroTime() {}

    static void append(Bytes out, Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        out.ch('"');
        pad(out, d.getYear(), 4).ch('-');
        pad(out, d.getMonthValue(), 2).ch('-');
        pad(out, d.getDayOfMonth(), 2).ch('T');
        pad(out, d.getHour(), 2).ch(':');
        pad(out, d.getMinute(), 2).ch(':');
        pad(out, d.getSecond(), 2).ch('.');
        pad(out, t.getNano() / 1000, 6).ch('Z').ch('"');
    }

    static String format(Instant t) {
        Bytes b = new Bytes(32);
        append(b, t);
        String s = new String(b.toArray(), java.nio.charset.StandardCharsets.US_ASCII);
        return s.substring(1, s.length() - 1);
    }

    private static Bytes pad(Bytes out, int v, int width) {
        int div = 1;
        for (int i = 1; i < width; i++) div *= 10;
        for (; div > 0; div /= 10) out.ch((char) ('0' + (v / div) % 10));
        return out;
    }
}
