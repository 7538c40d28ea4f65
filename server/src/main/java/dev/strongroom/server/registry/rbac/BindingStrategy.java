package dev.strongroom.server.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
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

/** RoleBinding and ClusterRoleBinding: v1 defaulting, upstream validation, immutable roleRef, kubectl's columns. */
public final class BindingStrategy implements Strategy {
    private static final TableConvertor TABLE = new TableConvertor(List.of(
            TableConvertor.name(),
            new TableConvertor.Column("Role", "string", "", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.", 0),
            TableConvertor.age(),
            new TableConvertor.Column("Users", "string", "", "Users in the roleBinding", 1),
            new TableConvertor.Column("Groups", "string", "", "Groups in the roleBinding", 1),
            new TableConvertor.Column("ServiceAccounts", "string", "", "ServiceAccounts in the roleBinding", 1)),
            BindingStrategy::cells);

    private final boolean cluster;

    public BindingStrategy(boolean cluster) { this.cluster = cluster; }

    private static List<Object> cells(ObjectNode obj, java.time.Instant now) {
        JsonNode ref = obj.path("roleRef");
        List<String> users = new ArrayList<>(), groups = new ArrayList<>(), sas = new ArrayList<>();
        for (JsonNode s : obj.path("subjects")) {
            switch (s.path("kind").asText("")) {
                case "User" -> users.add(s.path("name").asText());
                case "Group" -> groups.add(s.path("name").asText());
                case "ServiceAccount" -> sas.add(s.path("namespace").asText("") + "/" + s.path("name").asText());
                default -> { }
            }
        }
        return List.of(Meta.name(obj), ref.path("kind").asText("") + "/" + ref.path("name").asText(""), Ages.age(obj, now),
                String.join(", ", users), String.join(", ", groups), String.join(", ", sas));
    }

    @Override
    public void normalize(ObjectNode obj) { RbacValidation.defaultBinding(obj); }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.validate(obj, !cluster, MetaValidation::pathSegmentName));
        errs.addAll(RbacValidation.binding(obj, !cluster));
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(RbacValidation.binding(obj, !cluster));
        errs.addAll(RbacValidation.roleRefUnchanged(obj, old));
        return errs;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata.name", Meta.name(obj));
        if (!cluster) m.put("metadata.namespace", Meta.namespace(obj));
        return m;
    }

    @Override
    public List<String> fieldOrder() { return List.of("subjects", "roleRef"); }

    @Override
    public TableConvertor table() { return TABLE; }
}
