package dev.strongroom.server.registry.namespaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

/** kube-apiserver's namespace strategy: finalizer and phase defaults, the forced name label, status kept on update. */
public final class NamespaceStrategy implements Strategy {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    private static final TableConvertor TABLE = new TableConvertor(List.of(
            TableConvertor.name(),
            new TableConvertor.Column("Status", "string", "", "The status of the namespace", 0),
            TableConvertor.age()),
            (obj, now) -> List.of(Meta.name(obj), obj.path("status").path("phase").asText(""), Ages.age(obj, now)));

    @Override
    public void normalize(ObjectNode obj) {
        // The name label is forced on every write (upstream: since 1.22).
        ObjectNode meta = Meta.meta(obj);
        JsonNode labels = meta.get("labels");
        ObjectNode l = labels instanceof ObjectNode o ? o : meta.putObject("labels");
        l.put(NAME_LABEL, Meta.name(obj));
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : obj.putObject("spec");
        JsonNode fins = spec.get("finalizers");
        if (fins == null || !fins.isArray() || !containsText(fins, "kubernetes")) {
            ArrayNode a = fins instanceof ArrayNode arr ? arr : spec.putArray("finalizers");
            a.add("kubernetes");
        }
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Active");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        // spec.finalizers changes only through the finalize subresource and status through status: keep the old ones.
        obj.set("spec", old.has("spec") ? old.get("spec").deepCopy() : obj.objectNode());
        obj.set("status", old.has("status") ? old.get("status").deepCopy() : obj.objectNode());
    }

    private static boolean containsText(JsonNode arr, String v) {
        for (JsonNode n : arr) if (n.asText().equals(v)) return true;
        return false;
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.validate(obj, false, MetaValidation::dns1123Label));
        JsonNode fins = obj.path("spec").path("finalizers");
        if (fins.isArray()) {
            for (int i = 0; i < fins.size(); i++) {
                String f = fins.get(i).asText();
                for (String m : MetaValidation.qualifiedName(f)) errs.add(FieldError.invalid("spec.finalizers[" + i + "]", f, m));
            }
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return validate(obj).stream()
            .filter(e -> !e.field().equals("metadata.name") || !e.type().equals(FieldError.Type.REQUIRED)).toList(); }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata.name", Meta.name(obj));
        m.put("status.phase", obj.path("status").path("phase").asText(""));
        return m;
    }

    @Override
    public List<String> fieldOrder() { return List.of("spec", "status"); }

    @Override
    public TableConvertor table() { return TABLE; }

    @Override
    public boolean returnDeletedObject() { return true; }
}
