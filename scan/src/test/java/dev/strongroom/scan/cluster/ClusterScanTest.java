package dev.strongroom.scan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import dev.strongroom.scan.CommandRunner;
import dev.strongroom.scan.TestScans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --cluster} against fabric8's mock API server. There is no real kube-apiserver on these
 * machines (and none can be started in CI), so the mock stands in: it serves the same REST paths
 * and list bodies the client reads, which is the part this code depends on.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    KubernetesMockServer server;
    KubernetesClient client;

    private dev.strongroom.scan.ScanCommand.ClientFactory mockClient() {
        // The command closes the client it gets; hand it a fresh one on the same mock server.
        return cmd -> server.createClient();
    }

    private void populate() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:latest")
                .withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        // A pod owned by a ReplicaSet repeats the Deployment's template: it must not be reported twice.
        client.pods().inNamespace("shop").resource(new PodBuilder()
                .withNewMetadata().withName("web-abc12").withNamespace("shop")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-abc").withUid("1")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:latest").endContainer().endSpec().build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("dev-admin").endMetadata()
                .addNewSubject().withKind("User").withName("dev@example.com").withApiGroup("rbac.authorization.k8s.io").endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
                .build()).create();
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withStringData(Map.of("password", "Hx9#Qm2$Vr7!Lp4Z")).build()).create();
    }

    @Test
    void liveObjectsAreScannedWithPositionsInTheirYamlRenderingTogetherWithFiles() throws IOException {
        populate();
        Path enc = Files.createTempFile("enc", ".yaml");
        Files.writeString(enc, TestScans.resource("rules/SR-ENC-002/failing.yaml"));
        try {
            CommandRunner.Run run = CommandRunner.withStdin("", mockClient(), "--cluster", "--format", "json", enc.toString());
            JsonNode report = JSON.readTree(run.out());
            assertThat(run.err()).isEmpty();
            var ids = report.get("findings").findValuesAsText("ruleId");
            assertThat(ids).contains("SR-POD-002", "SR-IMG-001", "SR-RBAC-002", "SR-NET-001", "SR-RES-001", "SR-ENC-002");
            // Secrets are never read, so nothing about their values can be reported.
            assertThat(ids).doesNotContain("SR-SEC-001");
            assertThat(run.out()).doesNotContain("Hx9#Qm2$Vr7!Lp4Z");
            // Only the Deployment is reported for its privileged container, not its ReplicaSet's pod.
            assertThat(ids.stream().filter("SR-POD-002"::equals)).hasSize(1);
            for (JsonNode f : report.get("findings")) {
                if (f.get("ruleId").asText().equals("SR-POD-002")) {
                    assertThat(f.at("/location/file").asText()).startsWith("cluster:").endsWith("/Deployment/shop/web");
                    assertThat(f.at("/location/line").asInt()).isGreaterThan(1);
                }
            }
            assertThat(run.exitCode()).isEqualTo(1);
        } finally {
            Files.delete(enc);
        }
    }
}
