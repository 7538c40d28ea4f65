package dev.strongroom.server.registry.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.MetaValidation;
import dev.strongroom.server.registry.Strategy;
import dev.strongroom.server.registry.TableConvertor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Role and ClusterRole: rules validated as upstream; kubectl shows NAME and CREATED AT (the default convertor). */
public final class RoleStrategy implements Strategy {
    private static final TableConvertor TABLE = new TableConvertor(List.of(
            TableConvertor.name(),
            new TableConvertor.Column("Created At", "date", "", TableConvertor.AGE_DESCRIPTION, 0)),
            (obj, now) -> List.of(Meta.name(obj), Meta.str(obj.get("metadata"), "creationTimestamp")));

    private final boolean cluster;

    public RoleStrategy(boolean cluster) { this.cluster = cluster; }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.validate(obj, !cluster, MetaValidation::pathSegmentName));
        errs.addAll(RbacValidation.rules(obj.get("rules"), !cluster));
        if (cluster && obj.has("aggregationRule") && !obj.get("aggregationRule").isNull()) {
            var sel = obj.path("aggregationRule").path("clusterRoleSelectors");
            if (!sel.isArray() || sel.isEmpty()) {
                errs.add(FieldError.required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return RbacValidation.rules(obj.get("rules"), !cluster);
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata.name", Meta.name(obj));
        if (!cluster) m.put("metadata.namespace", Meta.namespace(obj));
        return m;
    }

    @Override
    public List<String> fieldOrder() { return cluster ? List.of("rules", "aggregationRule") : List.of("rules"); }

    @Override
    public TableConvertor table() { return TABLE; }
}
