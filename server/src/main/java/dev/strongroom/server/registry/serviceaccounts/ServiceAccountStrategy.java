package dev.strongroom.server.registry.serviceaccounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.server.registry.Ages;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.MetaValidation;
import dev.strongroom.server.registry.Strategy;
import dev.strongroom.server.registry.TableConvertor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ServiceAccounts: DNS-subdomain names; kubectl shows NAME, SECRETS, AGE; a delete answers with the object. */
public final class ServiceAccountStrategy implements Strategy {
    private static final TableConvertor TABLE = new TableConvertor(List.of(
            TableConvertor.name(),
            new TableConvertor.Column("Secrets", "string", "", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret", 0),
            TableConvertor.age()),
            (obj, now) -> List.of(Meta.name(obj), (long) obj.path("secrets").size(), Ages.age(obj, now)));

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return new ArrayList<>(MetaValidation.validate(obj, true, MetaValidation::dns1123Subdomain));
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return List.of(); }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata.name", Meta.name(obj));
        m.put("metadata.namespace", Meta.namespace(obj));
        return m;
    }

    @Override
    public List<String> fieldOrder() { return List.of("secrets", "imagePullSecrets", "automountServiceAccountToken"); }

    @Override
    public TableConvertor table() { return TABLE; }

    @Override
    public boolean returnDeletedObject() { return true; }
}
