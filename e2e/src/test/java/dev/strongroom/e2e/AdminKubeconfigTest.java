package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin.kubeconfig the server writes is what kubectl uses, unmodified ({@code export KUBECONFIG=…}), also when
 * the server was asked for a free port ({@code --secure-port 0}, {@code ServerOptions.withPort(0)}).
 * (The other tests give kubectl a copy with the URL corrected, so that this one bug does not hide everything else.)
 */
class AdminKubeconfigTest {
    @TempDir
    Path tmp;

    @Test
    void adminKubeconfigPointsAtTheServingPortAndWorksAsIs() {
        try (TestServer server = TestServer.start(tmp)) {
            Path admin = server.server().dataDirectory().adminKubeconfig();
            assertThat(ServerAccess.serverOf(admin)).as("server URL in %s", admin).isEqualTo(server.server().url());
            Kubectl kubectl = new Kubectl("1.33", admin, tmp.resolve("home"), tmp.resolve("work"));
            Kubectl.Result r = kubectl.run(List.of("get", "secrets"), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
            assertThat(r.combined()).as("%s", r).isEqualTo("No resources found in default namespace.\n");
            assertThat(r.exitCode()).isZero();
        }
    }
}
