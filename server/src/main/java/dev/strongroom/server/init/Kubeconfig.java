package dev.strongroom.server.init;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A kubeconfig users point kubectl at. */
public final class Kubeconfig {
    private Kubeconfig() {}

    public static String forToken(String serverUrl, String caPem, String user, String token) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: strongroom
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: strongroom
                  context:
                    cluster: strongroom
                    user: %s
                    namespace: default
                current-context: strongroom
                """.formatted(serverUrl, ca, user, token, user);
    }
}
