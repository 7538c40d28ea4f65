package dev.strongroom.api.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * {@code metav1.Time} on the wire: RFC 3339 in UTC with whole seconds ({@code 2026-11-22T16:38:15Z}), parsed the way
 * Go's {@code time.Parse(time.RFC3339, s)} parses, failing with Go's {@code parsing time ...} messages because
 * kube-apiserver returns them verbatim in 400 responses.
 */
public final class GoTime {
    private GoTime() {}

    private static final String LAYOUT = "2006-01-02T15:04:05Z07:00";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** A value Go's RFC 3339 parser rejects; the message is Go's {@code *time.ParseError}. */
    public static final class ParseException extends Exception {
        ParseException(String message) { super(message, null, false, false); }
    }

    /** {@code metav1.Time.MarshalJSON}: UTC, truncated to seconds. */
    public static String format(Instant t) {
        return FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code time.Parse(time.RFC3339, value)}; fractional seconds are accepted, as in Go. */
    public static Instant parse(String value) throws ParseException {
        String v = value;
        int[] year = new int[1], month = new int[1], day = new int[1];
        int[] hour = new int[1], minute = new int[1], second = new int[1];
        // Each step mirrors one chunk of the layout: a literal prefix, a std element, and Go's range check for
        // that element (the day is checked against the month only at the end, as in Go).
        v = std(value, v, "", "2006", 4, true, year);
        v = std(value, v, "-", "01", 2, true, month);
        if (month[0] < 1 || month[0] > 12) throw rangeError(value, "month");
        v = std(value, v, "-", "02", 2, true, day);
        v = std(value, v, "T", "15", 2, false, hour);
        if (hour[0] > 23) throw rangeError(value, "hour");
        v = std(value, v, ":", "04", 2, true, minute);
        if (minute[0] > 59) throw rangeError(value, "minute");
        v = std(value, v, ":", "05", 2, true, second);
        if (second[0] > 59) throw rangeError(value, "second");
        long nanos = 0;
        // Go accepts a fractional second right after the seconds even though the layout has none.
        if (v.length() >= 2 && (v.charAt(0) == '.' || v.charAt(0) == ',') && isDigit(v, 1)) {
            int i = 1;
            while (i < v.length() && isDigit(v, i)) i++;
            String frac = (v.substring(1, i) + "000000000").substring(0, 9);
            nanos = Long.parseLong(frac);
            v = v.substring(i);
        }
        int offsetSeconds;
        if (!v.isEmpty() && v.charAt(0) == 'Z') {
            offsetSeconds = 0;
            v = v.substring(1);
        } else {
            if (v.length() < 6 || v.charAt(3) != ':' || (v.charAt(0) != '+' && v.charAt(0) != '-')
                    || !isDigit(v, 1) || !isDigit(v, 2) || !isDigit(v, 4) || !isDigit(v, 5)) {
                throw cannotParse(value, v, "Z07:00");
            }
            int hh = Integer.parseInt(v.substring(1, 3)), mm = Integer.parseInt(v.substring(4, 6));
            offsetSeconds = (hh * 60 + mm) * 60 * (v.charAt(0) == '-' ? -1 : 1);
            v = v.substring(6);
        }
        if (!v.isEmpty()) throw new ParseException("parsing time " + quote(value) + ": extra text: " + quote(v));
        LocalDate date;
        try {
            date = LocalDate.of(year[0], month[0], 1);
            if (day[0] < 1 || day[0] > date.lengthOfMonth()) throw new DateTimeException("day");
            date = date.withDayOfMonth(day[0]);
        } catch (DateTimeException e) {
            throw new ParseException("parsing time " + quote(value) + ": day out of range");
        }
        return date.atTime(hour[0], minute[0], second[0]).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds))
                .plusNanos(nanos);
    }

    /** Skips {@code prefix}, then reads a number of {@code digits} digits ({@code fixed}: exactly; else 1 or 2). */
    private static String std(String value, String v, String prefix, String elem, int digits, boolean fixed, int[] out)
            throws ParseException {
        if (!v.startsWith(prefix)) throw cannotParse(value, v, prefix);
        v = v.substring(prefix.length());
        int n = 0;
        if (digits == 4) {
            if (v.length() < 4 || !isDigit(v, 0)) throw cannotParse(value, v, elem);
            for (int i = 0; i < 4; i++) {
                if (!isDigit(v, i)) throw cannotParse(value, v, elem);
            }
            n = 4;
        } else {
            if (!isDigit(v, 0)) throw cannotParse(value, v, elem);
            n = isDigit(v, 1) ? 2 : (fixed ? -1 : 1);
            if (n < 0) throw cannotParse(value, v, elem);
        }
        out[0] = Integer.parseInt(v.substring(0, n));
        return v.substring(n);
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static ParseException cannotParse(String value, String rest, String elem) {
        return new ParseException("parsing time " + quote(value) + " as " + quote(LAYOUT) + ": cannot parse "
                + quote(rest) + " as " + quote(elem));
    }

    private static ParseException rangeError(String value, String what) {
        return new ParseException("parsing time " + quote(value) + ": " + what + " out of range");
    }

    /** Go's {@code time.quote}: non-ASCII and control bytes become {@code \xNN}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0x80 || cp < ' ') {
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append(String.format("\\x%02x", b & 0xff));
                }
            } else {
                if (cp == '"' || cp == '\\') sb.append('\\');
                sb.appendCodePoint(cp);
            }
        }
        return sb.append('"').toString();
    }
}
