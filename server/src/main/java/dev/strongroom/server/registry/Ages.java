package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;

/** The Age column: time since creation in apimachinery's {@code HumanDuration} form. */
public final class Ages {
    private Ages() {}

    public interface Formatter {
        String format(Duration d);
    }

    private static volatile Formatter formatter = Ages::fallback;

    public static void useFormatter(Formatter f) { formatter = f; }

    public static String age(ObjectNode obj, Instant now) {
        Instant created = Meta.parseTime(Meta.str(obj.get("metadata"), "creationTimestamp"));
        if (created == null) return "<unknown>";
        return formatter.format(Duration.between(created, now));
    }

    private static String fallback(Duration d) {
        long s = d.toSeconds();
        if (s < -1) return "<invalid>";
        if (s < 0) return "0s";
        if (s < 120) return s + "s";
        long m = s / 60;
        if (m < 10) return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        if (m < 180) return m + "m";
        long h = m / 60;
        if (h < 8) return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        if (h < 48) return h + "h";
        long days = h / 24;
        if (h < 192) return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
        if (days < 365 * 2) return days + "d";
        long y = days / 365;
        if (y < 8) return days % 365 == 0 ? y + "y" : y + "y" + (days % 365) + "d";
        return y + "y";
    }
}
