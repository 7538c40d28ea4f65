package dev.strongroom.server.registry.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.Strategy;
import dev.strongroom.server.registry.TableConvertor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events are served read-only and empty: {@code kubectl describe} asks for them, and an empty list is the honest
 * answer for a server that runs no controllers.
 */
public final class EventStrategy implements Strategy {
    private static final List<String> FIELDS = List.of("metadata.name", "metadata.namespace", "involvedObject.kind",
            "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");

    private static final TableConvertor TABLE = new TableConvertor(List.of(
            new TableConvertor.Column("Last Seen", "string", "", "Time when this Event was last seen", 0),
            new TableConvertor.Column("Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future.", 0),
            new TableConvertor.Column("Reason", "string", "", "A machine-readable description of the cause of the event.", 0),
            new TableConvertor.Column("Object", "string", "", "The object this Event is about.", 0),
            new TableConvertor.Column("Subobject", "string", "", "The subobject this Event is about.", 1),
            new TableConvertor.Column("Source", "string", "", "The component reporting this event.", 1),
            new TableConvertor.Column("Message", "string", "", "A human-readable description of the status of this operation.", 0),
            new TableConvertor.Column("First Seen", "string", "", "The time at which the event was first recorded.", 1),
            new TableConvertor.Column("Count", "string", "", "The number of times this event has occurred.", 1),
            new TableConvertor.Column("Name", "string", "name", TableConvertor.NAME_DESCRIPTION, 1)),
            (obj, now) -> List.of("", "", "", "", "", "", "", "", "", Meta.name(obj)));

    @Override
    public List<FieldError> validate(ObjectNode obj) { return List.of(); }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return List.of(); }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : FIELDS) m.put(f, "");
        return m;
    }

    @Override
    public List<String> fieldOrder() { return List.of(); }

    @Override
    public TableConvertor table() { return TABLE; }
}
