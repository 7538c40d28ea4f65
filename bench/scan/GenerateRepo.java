import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic manifests repository for the scanner benchmark: N objects spread over
 * namespaces (100 objects each), as a real repository would hold them — several objects per file,
 * a mix of workloads, RBAC, policies, ConfigMaps and committed Secrets, some good, some bad.
 *
 * Usage: java GenerateRepo.java OUT_DIR N
 */
public class GenerateRepo {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int total = Integer.parseInt(args[1]);
        int written = 0;
        for (int ns = 0; written < total; ns++) {
            String namespace = "team-" + ns;
            Path dir = Files.createDirectories(out.resolve(namespace));
            StringBuilder base = new StringBuilder();
            base.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(namespace).append("\n");
            written++;
            if (ns % 2 == 0) {
                base.append("---\n").append(doc("networking.k8s.io/v1", "NetworkPolicy", namespace, "default-deny",
                        "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
                base.append("---\n").append(doc("v1", "ResourceQuota", namespace, "compute", "spec:\n  hard:\n    pods: \"50\"\n"));
                written += 2;
            }
            Files.writeString(dir.resolve("namespace.yaml"), base);
            for (int app = 0; written < total && app < 16; app++) {
                String name = "app-" + app;
                StringBuilder f = new StringBuilder();
                f.append(deployment(namespace, name, app)).append("---\n");
                f.append(doc("v1", "Service", namespace, name, "spec:\n  selector: {app: " + name + "}\n  ports:\n    - port: 80\n      targetPort: 8080\n"));
                f.append("---\n").append(doc("v1", "ConfigMap", namespace, name + "-config", "data:\n  LOG_LEVEL: info\n  application.properties: |\n"
                        + "    server.port=8080\n    db.url=jdbc:postgresql://db/" + name + "\n" + (app % 7 == 0 ? "    db.password=Qx" + app + "#Lm2!Vr9$Tz\n" : "")));
                f.append("---\n").append(doc("v1", "ServiceAccount", namespace, name, app % 3 == 0 ? "automountServiceAccountToken: false\n" : ""));
                f.append("---\n").append(doc("rbac.authorization.k8s.io/v1", "Role", namespace, name,
                        "rules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"" + (app % 5 == 0 ? ", \"secrets\"" : "") + "]\n    verbs: [\"get\", \"list\"" + (app % 11 == 0 ? ", \"*\"" : "") + "]\n"));
                f.append("---\n").append(doc("rbac.authorization.k8s.io/v1", "RoleBinding", namespace, name,
                        "subjects:\n  - kind: ServiceAccount\n    name: " + name + "\nroleRef:\n  kind: Role\n  name: " + name + "\n  apiGroup: rbac.authorization.k8s.io\n"));
                written += 6;
                Files.writeString(dir.resolve(name + ".yaml"), f);
            }
        }
        System.out.println("generated " + written + " objects under " + out);
    }

    private static String doc(String apiVersion, String kind, String ns, String name, String rest) {
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
                + (ns == null ? "" : "  namespace: " + ns + "\n") + rest;
    }

    private static String deployment(String ns, String name, int i) {
        boolean hardened = i % 2 == 0;
        return doc("apps/v1", "Deployment", ns, name, "spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: " + name + "}\n"
                + "  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n      serviceAccountName: " + name + "\n"
                + (hardened ? "      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n" : "")
                + "      containers:\n        - name: " + name + "\n          image: registry.example.com/" + ns + "/" + name
                + (i % 4 == 0 ? ":latest" : ":1." + i + ".0") + "\n"
                + "          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n"
                + (hardened ? "          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n"
                        + "            capabilities: {drop: [ALL]}\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n"
                        : "          securityContext:\n            privileged: " + (i % 8 == 1) + "\n"));
    }
}
