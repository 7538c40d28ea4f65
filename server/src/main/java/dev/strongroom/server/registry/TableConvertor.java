package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** The columns of {@code kubectl get} output for one resource, computed server-side as upstream's printers. */
public record TableConvertor(List<Column> columns, BiFunction<ObjectNode, Instant, List<Object>> cells) {

    public record Column(String name, String type, String format, String description, int priority) {}

    public ArrayNode columnDefinitions() {
        ArrayNode a = Json.NODES.arrayNode();
        for (Column c : columns) {
            ObjectNode o = a.addObject();
            o.put("name", c.name());
            o.put("type", c.type());
            o.put("format", c.format());
            o.put("description", c.description());
            o.put("priority", c.priority());
        }
        return a;
    }

    public static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    public static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static Column name() { return new Column("Name", "string", "name", NAME_DESCRIPTION, 0); }

    public static Column age() { return new Column("Age", "string", "", AGE_DESCRIPTION, 0); }
}
