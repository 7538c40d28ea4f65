package dev.strongroom.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.rules.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every YAML example of the seed documents, scanned, with the exact findings a user would get. */
class SeedExamplesTest {

    @Test
    void seed000PodReadingSecretsThroughEnv() {
        ScanResult r = TestScans.scan(TestScans.resource("seeds/000-pod-secret-env.yaml"));
        assertThat(TestScans.ids(r)).containsExactlyInAnyOrder(
                // namespace "default" (no namespace written) has no guard rails
                "SR-NET-001", "SR-NET-002", "SR-NET-003", "SR-RES-001", "SR-RES-002",
                // the container has no securityContext and no limits
                "SR-POD-001", "SR-POD-003", "SR-POD-004", "SR-POD-005", "SR-RES-003",
                // the default service account holds no bindings, yet gets a token
                "SR-POD-009",
                // "my-app-image": no tag means :latest, and no digest
                "SR-IMG-001", "SR-IMG-002",
                // both secretKeyRef env vars: advisory
                "SR-SEC-004", "SR-SEC-004");
        List<Finding> env = TestScans.of(r, "SR-SEC-004");
        assertThat(env).extracting(f -> f.position().line()).containsExactly(12, 17);
        assertThat(env.get(1).message()).contains("my-db-secret", "password", "DB_PASSWORD");
        assertThat(r.active(dev.strongroom.scan.rules.Severity.HIGH)).isEqualTo(1); // SR-POD-001: exit code 1
    }

    @Test
    void seed001SecretReaderRoleAloneIsFine() {
        // A namespaced Role granting get/list/watch on secrets is least privilege as long as it
        // is bound to the right subject: no wildcard, no escalation verb, no broad binding.
        ScanResult r = TestScans.scan(TestScans.resource("seeds/001-secret-reader-role.yaml"));
        assertThat(r.findings()).isEmpty();
        assertThat(r.objects()).hasSize(1);
    }

    @Test
    void seed001SecretReaderBoundToEveryServiceAccountOfTheNamespaceIsCritical() {
        String binding = """
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: read-secrets
                  namespace: default
                subjects:
                  - kind: Group
                    name: system:serviceaccounts:default
                    apiGroup: rbac.authorization.k8s.io
                roleRef:
                  kind: Role
                  name: secret-reader
                  apiGroup: rbac.authorization.k8s.io
                """;
        ScanResult r = TestScans.scan(TestScans.resource("seeds/001-secret-reader-role.yaml") + binding);
        assertThat(TestScans.ids(r)).containsExactly("SR-RBAC-003");
        assertThat(TestScans.of(r, "SR-RBAC-003").get(0).message())
                .contains("get, list, watch on secrets in namespace default", "every service account of namespace default", "Role secret-reader");
    }

    @Test
    void seed001SecretBackupFileIsACommittedSecret() {
        ScanResult r = TestScans.scan(TestScans.resource("seeds/001-my-secret-backup.yaml"));
        assertThat(TestScans.ids(r)).containsExactly("SR-SEC-001");
        Finding f = r.findings().get(0);
        assertThat(f.position().line()).isEqualTo(3);
        assertThat(f.message()).contains("data.password", "data.username").doesNotContain("bXlwYXNzd29yZA==");
    }

    @Test
    void seed002FrontMatterIsNotAKubernetesObject() {
        ScanResult r = TestScans.scan(TestScans.resource("seeds/002-front-matter.yaml"));
        assertThat(r.findings()).isEmpty();
        assertThat(r.objects()).isEmpty();
        assertThat(r.skippedDocuments()).isEqualTo(1);
    }
}
