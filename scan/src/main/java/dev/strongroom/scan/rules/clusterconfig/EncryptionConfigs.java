package dev.strongroom.scan.rules.clusterconfig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which entry of an EncryptionConfiguration applies to Secrets, resolved as the API server does
 * (apiserver/pkg/server/options/encryptionconfig/config.go): an exact {@code secrets} entry wins
 * wherever it is, then {@code *.} (every core resource), then {@code *.*}; with none of them
 * Secrets are stored with the identity transformer, i.e. in plain text.
 */
final class EncryptionConfigs {
    private EncryptionConfigs() {}

    /** An entry of {@code resources}: its index and its providers. */
    record Entry(int index, JsonNode providers, String matchedBy) {
        String pointer() {
            return "/resources/" + index;
        }
    }

    static List<KubeObject> all(Inventory inventory) {
        List<KubeObject> out = new ArrayList<>(inventory.ofKind("EncryptionConfiguration"));
        out.addAll(inventory.ofKind("EncryptionConfig")); // the legacy kind is still accepted
        return out;
    }

    static Optional<Entry> secretsEntry(KubeObject config) {
        JsonNode resources = config.body().path("resources");
        for (String wanted : List.of("secrets", "*.", "*.*")) {
            for (int i = 0; i < resources.size(); i++) {
                for (JsonNode r : resources.get(i).path("resources")) {
                    String name = r.asText();
                    boolean match = wanted.equals("secrets") ? name.equals("secrets") || name.equals("secrets.") : name.equals(wanted);
                    if (match) return Optional.of(new Entry(i, resources.get(i).path("providers"), name));
                }
            }
        }
        return Optional.empty();
    }

    /** The provider type of a providers[] element: identity, aescbc, aesgcm, secretbox or kms. */
    static String type(JsonNode provider) {
        for (String t : List.of("identity", "aescbc", "aesgcm", "secretbox", "kms")) if (provider.has(t)) return t;
        return "unknown";
    }
}
