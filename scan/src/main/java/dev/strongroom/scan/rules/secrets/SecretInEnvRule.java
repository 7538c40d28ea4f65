package dev.strongroom.scan.rules.secrets;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;

/** SR-SEC-004 (advisory): a Secret consumed through environment variables. */
public final class SecretInEnvRule implements Rule {
    static final RuleInfo INFO = rule("SR-SEC-004", "Secrets")
            .title("Secret consumed as an environment variable (advisory: prefer a mounted file)")
            .severity(Severity.LOW)
            .refs("CIS Kubernetes Benchmark v1.8 5.4.1 (prefer using Secrets as files over Secrets as environment variables)")
            .why("""
                 Environment variables are fixed when the process starts, so a rotated secret only takes
                 effect after a restart; they are also inherited by child processes and often end up in
                 crash dumps and debug output. A mounted Secret volume is updated in place by the kubelet.""")
            .fix("""
                 spec:
                   containers:
                     - name: app
                       volumeMounts:
                         - name: db-credentials
                           mountPath: /var/run/secrets/db
                           readOnly: true
                   volumes:
                     - name: db-credentials
                       secret:
                         secretName: db-credentials""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (PodTemplate pod : inventory.podTemplates()) {
            for (Container c : pod.containers()) {
                JsonNode env = c.node().path("env");
                for (int i = 0; i < env.size(); i++) {
                    JsonNode ref = env.get(i).path("valueFrom").path("secretKeyRef");
                    if (ref.isObject()) {
                        findings.add(INFO, pod.owner(), c.pointer() + "/env/" + i + "/valueFrom/secretKeyRef",
                                c.label() + " reads Secret " + ref.path("name").asText("?") + " key " + ref.path("key").asText("?")
                                        + " into env " + env.get(i).path("name").asText());
                    }
                }
                JsonNode envFrom = c.node().path("envFrom");
                for (int i = 0; i < envFrom.size(); i++) {
                    JsonNode ref = envFrom.get(i).path("secretRef");
                    if (ref.isObject()) {
                        findings.add(INFO, pod.owner(), c.pointer() + "/envFrom/" + i + "/secretRef",
                                c.label() + " loads every key of Secret " + ref.path("name").asText("?") + " into its environment");
                    }
                }
            }
        }
    }
}
