package dev.strongroom.cli;

import dev.strongroom.server.audit.AuditOptions;
import dev.strongroom.server.authn.GoDuration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The audit flags of {@code strongroom server} (kube-apiserver's names; docs/audit.md). */
public final class AuditFlags {
    @Option(names = "--audit-policy-file", paramLabel = "FILE", description = "audit.k8s.io/v1 Policy. Default: health probes not logged, everything else (secrets and tokens included) at Metadata.")
    Path policyFile;

    @Option(names = "--audit-log-path", paramLabel = "PATH", description = "Audit log file (JSON lines, hash-chained); '-' for standard output, '' for none. Default: <data-dir>/audit/audit.log.")
    String logPath;

    @Option(names = "--audit-log-maxsize", paramLabel = "MB", defaultValue = "100", description = "Rotate the audit log before it passes this many megabytes; 0 never (default: ${DEFAULT-VALUE}).")
    int logMaxSize;

    @Option(names = "--audit-log-maxage", paramLabel = "DAYS", defaultValue = "366", description = "Delete rotated audit logs older than this many days; 0 keeps them (default: ${DEFAULT-VALUE}).")
    int logMaxAge;

    @Option(names = "--audit-log-maxbackup", paramLabel = "N", defaultValue = "100", description = "Keep at most this many rotated audit logs; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int logMaxBackup;

    @Option(names = "--audit-webhook-config-file", paramLabel = "FILE", description = "kubeconfig naming an HTTPS receiver that gets every event (audit.k8s.io/v1 EventList POSTs).")
    Path webhookConfigFile;

    @Option(names = "--audit-webhook-batch-buffer-size", paramLabel = "N", defaultValue = "10000", description = "Events buffered for the webhook while it is slow or down; beyond, events are dropped and counted (default: ${DEFAULT-VALUE}).")
    int webhookBufferSize;

    @Option(names = "--audit-webhook-batch-max-size", paramLabel = "N", defaultValue = "400", description = "Events per webhook request at most (default: ${DEFAULT-VALUE}).")
    int webhookMaxBatchSize;

    @Option(names = "--audit-webhook-batch-max-wait", paramLabel = "DURATION", defaultValue = "30s", converter = GoDurationConverter.class,
            description = "How long a partial batch waits for more events (default: ${DEFAULT-VALUE}).")
    Duration webhookMaxWait;

    @Option(names = "--audit-webhook-initial-backoff", paramLabel = "DURATION", defaultValue = "10s", converter = GoDurationConverter.class,
            description = "First delay before retrying a failed webhook request; doubles up to 30s (default: ${DEFAULT-VALUE}).")
    Duration webhookInitialBackoff;

    @Option(names = "--audit-fail-closed", arity = "0..1", defaultValue = "false", description = "Refuse (503) any request whose audit event cannot be written durably, instead of serving it and counting the lost event (default: ${DEFAULT-VALUE}).")
    boolean failClosed;

    AuditOptions options() {
        return AuditOptions.defaults().withPolicyFile(policyFile).withLogPath(logPath)
                .withRotation(logMaxSize, logMaxAge, logMaxBackup)
                .withWebhook(webhookConfigFile, webhookBufferSize, webhookMaxBatchSize, webhookMaxWait, webhookInitialBackoff)
                .withFailClosed(failClosed);
    }

    /** Go durations ("30s", "1m30s", "500ms"), as kube-apiserver's flags take them. */
    public static final class GoDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return GoDuration.parse(value);
        }
    }
}
