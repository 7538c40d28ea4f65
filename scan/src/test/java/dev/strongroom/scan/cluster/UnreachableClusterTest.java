package dev.strongroom.scan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.CommandRunner;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

/** {@code --cluster} when no API server answers: a clear error and exit code 2, never an empty, passing report. */
class UnreachableClusterTest {

    @Test
    void anUnreachableClusterIsAnErrorNotAnEmptyReport() {
        // Port 1 on loopback: connection refused at once. No retries, so the test is quick.
        Config config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000).build();
        CommandRunner.Run run = CommandRunner.withStdin("", cmd -> new KubernetesClientBuilder().withConfig(config).build(), "--cluster");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("strongroom scan:");
    }
}
