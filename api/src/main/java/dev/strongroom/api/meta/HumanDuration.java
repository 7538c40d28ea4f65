package dev.strongroom.api.meta;

import java.time.Duration;

/**
 * apimachinery's {@code util/duration.HumanDuration}: the AGE column of server-side tables ({@code 0s}, {@code 5m3s},
 * {@code 3h20m}, {@code 2d5h}, {@code 3y45d}). kubectl prints the server's string verbatim, so it must match
 * upstream's thresholds and truncation exactly.
 */
public final class HumanDuration {
    private HumanDuration() {}

    public static String format(Duration d) {
        // int(d.Seconds()) truncates toward zero; up to a second in the future counts as "now" (clock skew).
        long seconds = truncatedSeconds(d);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return seconds + "s";
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = d.toSeconds() % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) return minutes + "m";
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) return hours + "h";
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) return hours / 24 + "d";
        if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }

    private static long truncatedSeconds(Duration d) {
        long s = d.getSeconds(); // floor
        if (s < 0 && d.getNano() > 0) s++; // toward zero, as Go's float-to-int conversion
        return s;
    }
}
