package dev.strongroom.server.audit;

/**
 * Where events go: the log file, the webhook, or anything an embedder adds. Each backend keeps its own hash chain
 * ({@link Chain}) over the events it actually writes, so a drop in one backend does not break another's chain.
 */
public interface AuditBackend extends AutoCloseable {

    /**
     * Takes one event without blocking the caller. Returns false if the backend dropped it (its buffer is full); it
     * then counts the drop. When {@code entry.durable()} is set, the backend completes it once the event is durable
     * (written and synced, or acknowledged by the receiver), or completes it exceptionally if that failed.
     */
    boolean offer(AuditEntry entry);

    /** For log lines and metrics: "log /var/log/audit.log", "webhook https://…". */
    String describe();

    /** Events this backend lost: dropped at a full buffer, or failed to write or deliver. */
    long lost();

    /** Writes or sends what is still buffered (within a bounded time), then releases its resources. */
    @Override
    void close();
}
