package dev.strongroom.server.registry.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.MetaValidation;
import dev.strongroom.server.registry.Strategy;
import dev.strongroom.server.registry.TableConvertor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Secret rules of kube-apiserver ({@code pkg/registry/core/secret/strategy.go}, {@code ValidateSecret},
 * {@code ValidateSecretUpdate}, v1 defaulting and the stringData conversion). Error messages never include secret
 * values: only key names, which upstream prints too.
 */
public final class SecretStrategy implements Strategy {
    public static final int MAX_SECRET_SIZE = 1024 * 1024;
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    private static final String IMMUTABLE_MSG = "field is immutable when `immutable` is set";

    private static final TableConvertor TABLE = new TableConvertor(List.of(
            TableConvertor.name(),
            new TableConvertor.Column("Type", "string", "", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types", 0),
            new TableConvertor.Column("Data", "string", "", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4", 0),
            TableConvertor.age()),
            (obj, now) -> List.of(Meta.name(obj), Meta.str(obj, "type"), (long) obj.path("data").size(),
                    dev.strongroom.server.registry.Ages.age(obj, now)));

    /**
     * stringData is write-only: each entry is UTF-8 encoded into data (overwriting), then dropped — on every write
     * path, as the v1 → internal conversion does. Data values are normalised to padded standard base64.
     */
    @Override
    public void normalize(ObjectNode obj) {
        JsonNode sd = obj.remove("stringData");
        JsonNode d = obj.get("data");
        Map<String, String> data = new LinkedHashMap<>();
        if (d != null && d.isObject()) {
            d.fields().forEachRemaining(e -> {
                String v = e.getValue().isNull() ? "" : e.getValue().asText().replace("\r", "").replace("\n", "");
                data.put(e.getKey(), v);
            });
        }
        if (sd != null && sd.isObject()) {
            sd.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString((e.getValue().isNull() ? "" : e.getValue().asText()).getBytes(StandardCharsets.UTF_8))));
        }
        if (data.isEmpty()) obj.remove("data");
        else {
            ObjectNode out = Json.object();
            data.forEach(out::put);
            obj.set("data", out);
        }
        if (Meta.str(obj, "type").isEmpty()) obj.put("type", "Opaque");
        if (obj.has("immutable") && obj.get("immutable").isNull()) obj.remove("immutable");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.validate(obj, true, MetaValidation::dns1123Subdomain));
        errs.addAll(validateSecret(obj));
        return errs;
    }

    private static List<FieldError> validateSecret(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, byte[]> data = decodedData(obj);
        long total = 0;
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            String key = e.getKey();
            for (String m : configKeyErrors(key)) errs.add(FieldError.invalid("data[" + key + "]", key, m));
            total += e.getValue().length;
        }
        if (total > MAX_SECRET_SIZE) errs.add(FieldError.tooLong("data", MAX_SECRET_SIZE));
        String type = Meta.str(obj, "type");
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                String sa = Meta.stringMap(obj.path("metadata").get("annotations")).getOrDefault("kubernetes.io/service-account.name", "");
                if (sa.isEmpty()) errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
            }
            case "kubernetes.io/dockercfg" -> requireJson(data, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireJson(data, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    errs.add(FieldError.required("data[username]", ""));
                    errs.add(FieldError.required("data[password]", ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                byte[] k = data.get("ssh-privatekey");
                if (k == null || k.length == 0) errs.add(FieldError.required("data[ssh-privatekey]", ""));
            }
            case "kubernetes.io/tls" -> {
                if (!data.containsKey("tls.crt")) errs.add(FieldError.required("data[tls.crt]", ""));
                if (!data.containsKey("tls.key")) errs.add(FieldError.required("data[tls.key]", ""));
            }
            default -> { }
        }
        for (byte[] b : data.values()) java.util.Arrays.fill(b, (byte) 0);
        return errs;
    }

    private static void requireJson(Map<String, byte[]> data, String key, List<FieldError> errs) {
        byte[] v = data.get(key);
        if (v == null || v.length == 0) {
            errs.add(FieldError.required("data[" + key + "]", ""));
            return;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(v);
            if (n == null || !n.isObject()) throw new java.io.IOException("json: cannot unmarshal into a map");
        } catch (java.io.IOException e) {
            // The value is secret: upstream prints "<secret contents redacted>" instead of it.
            errs.add(FieldError.invalid("data[" + key + "]", "<secret contents redacted>", "invalid character in JSON"));
        }
    }

    static List<String> configKeyErrors(String key) {
        List<String> errs = new ArrayList<>();
        if (key.length() > 253) errs.add("must be no more than 253 characters");
        if (!CONFIG_KEY.matcher(key).matches()) errs.add(CONFIG_KEY_MSG);
        if (key.equals(".")) errs.add("must not be '.'");
        else if (key.equals("..")) errs.add("must not be '..'");
        else if (key.startsWith("..")) errs.add("must not start with '..'");
        return errs;
    }

    private static Map<String, byte[]> decodedData(ObjectNode obj) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        JsonNode d = obj.get("data");
        if (d == null || !d.isObject()) return out;
        d.fields().forEachRemaining(e -> out.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
        return out;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        String newType = Meta.str(obj, "type"), oldType = Meta.str(old, "type");
        if (!newType.equals(oldType)) errs.add(FieldError.invalid("type", newType, "field is immutable"));
        if (old.path("immutable").asBoolean(false)) {
            if (!obj.path("immutable").asBoolean(false)) errs.add(FieldError.forbidden("immutable", IMMUTABLE_MSG));
            if (!Objects.equals(normalizedData(obj), normalizedData(old))) errs.add(FieldError.forbidden("data", IMMUTABLE_MSG));
        }
        errs.addAll(validateSecret(obj));
        return errs;
    }

    private static JsonNode normalizedData(ObjectNode o) {
        JsonNode d = o.get("data");
        return d == null || d.isNull() || d.isEmpty() ? Json.object() : d;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata.name", Meta.name(obj));
        m.put("metadata.namespace", Meta.namespace(obj));
        m.put("type", Meta.str(obj, "type"));
        return m;
    }

    @Override
    public List<String> fieldOrder() { return List.of("immutable", "data", "stringData", "type"); }

    @Override
    public List<String> sortedMapFields() { return List.of("data", "stringData"); }

    @Override
    public TableConvertor table() { return TABLE; }
}
