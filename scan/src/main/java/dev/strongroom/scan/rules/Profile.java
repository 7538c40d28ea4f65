package dev.strongroom.scan.rules;

import java.util.Locale;

/**
 * How pods are judged. {@code DEFAULT} runs Strongroom's own pod rules (SR-POD-*); {@code BASELINE}
 * and {@code RESTRICTED} replace them with exactly the controls of that Pod Security Standards
 * level, so the result matches what Pod Security Admission would enforce.
 */
public enum Profile {
    DEFAULT, BASELINE, RESTRICTED;

    public static Profile parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown profile '" + s + "' (expected baseline or restricted)");
        }
    }
}
