package dev.strongroom.server.audit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** {@code metav1.MicroTime} as JSON: RFC 3339 in UTC with exactly six fractional digits. */
final class MicroTime {
    private MicroTime() {}

    /** {@code "yyyy-MM-ddTHH:mm:ss.} of the last second formatted: events come many to a second. */
    private static volatile Object[] lastSecond = {Long.MIN_VALUE, null};

    static void append(Bytes out, Instant t) {
        long sec = t.getEpochSecond();
        Object[] c = lastSecond;
        byte[] head;
        if ((Long) c[0] == sec) {
            head = (byte[]) c[1];
        } else {
            LocalDateTime d = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
            Bytes h = new Bytes(24);
            h.ch('"');
            pad(h, d.getYear(), 4).ch('-');
            pad(h, d.getMonthValue(), 2).ch('-');
            pad(h, d.getDayOfMonth(), 2).ch('T');
            pad(h, d.getHour(), 2).ch(':');
            pad(h, d.getMinute(), 2).ch(':');
            pad(h, d.getSecond(), 2).ch('.');
            head = h.toArray();
            lastSecond = new Object[]{sec, head};
        }
        out.raw(head);
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
