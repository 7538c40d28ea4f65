package dev.strongroom.server.authn;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Go's {@code time.ParseDuration} ("1h30m", "90s", "1.5h"), for flags named after kube-apiserver's. */
public final class GoDuration {
    private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    public static Duration parse(String s) {
        String orig = s;
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return Duration.ZERO;
        if (s.isEmpty()) throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
            String num = s.substring(start, i);
            int us = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            String unit = s.substring(us, i);
            if (unit.isEmpty()) throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
            Long nanos = UNIT_NANOS.get(unit);
            if (nanos == null) throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            try {
                total = total.add(new BigDecimal(num).multiply(BigDecimal.valueOf(nanos)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
            }
        }
        Duration d = Duration.ofNanos(total.longValue());
        return neg ? d.negated() : d;
    }
}
