package dev.strongroom.server.audit;

import java.util.concurrent.CompletableFuture;

/**
 * One serialised event, shared by all backends.
 *
 * @param body           holds, in its first {@code length} bytes, the event's JSON up to, not including, the end of its
 *                       annotations map: each backend appends its hash-chain annotation and the closing braces
 *                       ({@link Chain#seal}); never modified once made
 * @param hasAnnotations whether {@code body} already opened the annotations map
 * @param durable        null unless the request waits for this event to be durable (fail-closed mode)
 */
public record AuditEntry(byte[] body, int length, boolean hasAnnotations, CompletableFuture<Void> durable) {

    public AuditEntry(byte[] body, boolean hasAnnotations, CompletableFuture<Void> durable) {
        this(body, body.length, hasAnnotations, durable);
    }

    /** The complete line as a backend without a chain would write it (tests, debugging). */
    public String unchainedJson() {
        String s = new String(body, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        return hasAnnotations ? s + "}}" : s + "}";
    }
}
