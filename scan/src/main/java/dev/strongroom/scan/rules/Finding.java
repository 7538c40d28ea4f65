package dev.strongroom.scan.rules;

import dev.strongroom.scan.input.Position;
import dev.strongroom.scan.model.KubeObject;

/**
 * One problem found: which rule, on which object, exactly where, and what is wrong.
 *
 * @param pointer JSON Pointer inside {@code object} of the offending field (or of where the
 *                missing field belongs)
 * @param position where {@code pointer} (or its nearest existing ancestor) is in the source
 * @param suppression the reason given when a {@code strongroom.dev/ignore} annotation (or the
 *                    config file) silenced this finding; null when it is active
 */
public record Finding(RuleInfo rule, Severity severity, KubeObject object, String pointer, Position position, String message,
                      String suppression) {

    /** A new, active finding; its position is resolved once, here. */
    public static Finding of(RuleInfo rule, KubeObject object, String pointer, String message) {
        return new Finding(rule, rule.severity(), object, pointer, object.position(pointer), message, null);
    }

    public boolean suppressed() {
        return suppression != null;
    }

    public Finding suppress(String reason) {
        return new Finding(rule, severity, object, pointer, position, message, reason);
    }

    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, object, pointer, position, message, suppression);
    }
}
