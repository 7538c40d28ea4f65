package dev.strongroom.scan.rules.secrets;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.input.SourceMap;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.Rule;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.ArrayList;
import java.util.List;

/** SR-SEC-001: a Secret manifest with values, committed to the scanned files. */
public final class CommittedSecretRule implements Rule {
    static final RuleInfo INFO = rule("SR-SEC-001", "Secrets")
            .title("Secret with data/stringData values in the scanned files (a committed secret)")
            .severity(Severity.HIGH)
            .refs("CIS Kubernetes Benchmark v1.8 5.4.2 (consider external secret storage)",
                  "NSA-CISA Kubernetes Hardening Guide: Secrets")
            .why("""
                 Base64 is an encoding, not encryption: anyone who can read the repository (or its history,
                 forks and CI logs) can decode every value. Secrets belong in the secret store, created by
                 a command or an operator, never in version control.""")
            .fix("""
                 # Delete the Secret manifest from the repository (and rotate its values), then create it
                 # at deploy time:
                 #   strongroom create secret generic db-credentials --from-literal=password=...
                 # Keep only a reference in the repository:
                 env:
                   - name: DB_PASSWORD
                     valueFrom:
                       secretKeyRef:
                         name: db-credentials
                         key: password""");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(Inventory inventory, Findings findings) {
        for (KubeObject secret : inventory.ofKind("Secret")) {
            if (secret.live()) continue; // a live Secret is where values belong; this rule is about files
            List<String> keys = new ArrayList<>();
            String first = null;
            for (String field : List.of("data", "stringData")) {
                JsonNode values = secret.body().path(field);
                for (var e : values.properties()) {
                    if (e.getValue().isNull() || Placeholders.isPlaceholder(e.getValue().asText())) continue;
                    keys.add(field + "." + e.getKey());
                    if (first == null) first = "/" + field + "/" + SourceMap.escape(e.getKey());
                }
            }
            if (first != null) {
                findings.add(INFO, secret, first, "Secret stores " + keys.size() + (keys.size() == 1 ? " value" : " values")
                        + " in the manifest (" + String.join(", ", keys) + "); base64 is not encryption");
            }
        }
    }
}
