package dev.strongroom.server.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The audit flags (kube-apiserver's names where the meaning is the same; see docs/audit.md).
 *
 * @param policyFile          {@code --audit-policy-file}: an {@code audit.k8s.io/v1} Policy; null for the built-in
 *                            default (health probes None, everything else Metadata, RequestReceived omitted)
 * @param logPath             {@code --audit-log-path}: null for {@code <data-dir>/audit/audit.log}, "" for no log
 *                            file, "-" for standard output
 * @param logMaxSizeMb        {@code --audit-log-maxsize}: rotate when the file would pass this many megabytes; 0 never
 * @param logMaxAgeDays       {@code --audit-log-maxage}: delete rotated files older than this many days; 0 keeps them
 * @param logMaxBackups       {@code --audit-log-maxbackup}: keep at most this many rotated files; 0 keeps all
 * @param webhookConfigFile   {@code --audit-webhook-config-file}: kubeconfig naming the receiver; null for none
 * @param webhookBufferSize   {@code --audit-webhook-batch-buffer-size}: events held while the receiver is slow or down
 * @param webhookMaxBatchSize {@code --audit-webhook-batch-max-size}: events per POST at most
 * @param webhookMaxWait      {@code --audit-webhook-batch-max-wait}: how long a partial batch waits for more events
 * @param webhookInitialBackoff {@code --audit-webhook-initial-backoff}: first retry delay; it doubles up to 30 s
 * @param failClosed          {@code --audit-fail-closed}: refuse (503) a request whose event cannot be made durable
 * @param failClosedTimeout   how long a request waits, in fail-closed mode, for its event to be durable
 * @param checkpointInterval  how often a signed checkpoint of the log's hash chain is written (also at rotation and
 *                            shutdown)
 * @param extraBackends       further backends every event is sent to (embedding and tests); usually empty
 */
public record AuditOptions(Path policyFile, String logPath, int logMaxSizeMb, int logMaxAgeDays, int logMaxBackups,
                           Path webhookConfigFile, int webhookBufferSize, int webhookMaxBatchSize, Duration webhookMaxWait,
                           Duration webhookInitialBackoff, boolean failClosed, Duration failClosedTimeout,
                           Duration checkpointInterval, List<AuditBackend> extraBackends) {

    /** kube-apiserver 1.36's log defaults (maxsize 100 MB, maxage 366 days, maxbackup 100) and batch defaults. */
    public static AuditOptions defaults() {
        return new AuditOptions(null, null, 100, 366, 100, null, 10_000, 400, Duration.ofSeconds(30),
                Duration.ofSeconds(10), false, Duration.ofSeconds(10), Duration.ofSeconds(10), List.of());
    }

    /** No audit log at all (no file, no webhook). */
    public static AuditOptions disabled() {
        return defaults().withLogPath("");
    }

    public AuditOptions {
        extraBackends = extraBackends == null ? List.of() : List.copyOf(extraBackends);
        if (logMaxSizeMb < 0 || logMaxAgeDays < 0 || logMaxBackups < 0) throw new IllegalArgumentException("audit log limits must not be negative");
        if (webhookBufferSize < 1 || webhookMaxBatchSize < 1) throw new IllegalArgumentException("audit webhook buffer and batch sizes must be positive");
    }

    public AuditOptions withPolicyFile(Path f) {
        return new AuditOptions(f, logPath, logMaxSizeMb, logMaxAgeDays, logMaxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, failClosed, failClosedTimeout, checkpointInterval, extraBackends);
    }

    public AuditOptions withLogPath(String p) {
        return new AuditOptions(policyFile, p, logMaxSizeMb, logMaxAgeDays, logMaxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, failClosed, failClosedTimeout, checkpointInterval, extraBackends);
    }

    public AuditOptions withRotation(int maxSizeMb, int maxAgeDays, int maxBackups) {
        return new AuditOptions(policyFile, logPath, maxSizeMb, maxAgeDays, maxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, failClosed, failClosedTimeout, checkpointInterval, extraBackends);
    }

    public AuditOptions withWebhook(Path config, int bufferSize, int maxBatchSize, Duration maxWait, Duration initialBackoff) {
        return new AuditOptions(policyFile, logPath, logMaxSizeMb, logMaxAgeDays, logMaxBackups, config, bufferSize,
                maxBatchSize, maxWait, initialBackoff, failClosed, failClosedTimeout, checkpointInterval, extraBackends);
    }

    public AuditOptions withFailClosed(boolean closed) {
        return new AuditOptions(policyFile, logPath, logMaxSizeMb, logMaxAgeDays, logMaxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, closed, failClosedTimeout, checkpointInterval, extraBackends);
    }

    public AuditOptions withCheckpointInterval(Duration d) {
        return new AuditOptions(policyFile, logPath, logMaxSizeMb, logMaxAgeDays, logMaxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, failClosed, failClosedTimeout, d, extraBackends);
    }

    public AuditOptions withExtraBackends(List<AuditBackend> b) {
        return new AuditOptions(policyFile, logPath, logMaxSizeMb, logMaxAgeDays, logMaxBackups, webhookConfigFile, webhookBufferSize,
                webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff, failClosed, failClosedTimeout, checkpointInterval, b);
    }
}
