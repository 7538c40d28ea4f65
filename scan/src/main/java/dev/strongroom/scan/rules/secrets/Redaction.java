package dev.strongroom.scan.rules.secrets;

/**
 * The only form in which a secret value may appear in a finding: enough to recognise it, never
 * enough to use it.
 */
public final class Redaction {
    private Redaction() {}

    /** {@code AKIA… (20 chars)}: the first four characters and the length. */
    public static String redact(String value) {
        if (value == null) return "(none)";
        int n = value.codePointCount(0, value.length());
        if (n <= 8) return "… (" + n + " chars)"; // too short: even 4 chars would reveal half of it
        int cut = value.offsetByCodePoints(0, 4);
        return value.substring(0, cut) + "… (" + n + " chars)";
    }
}
