package dev.strongroom.api.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A request failed in a way the client must hear about as a {@code metav1.Status}. The factories reproduce
 * apimachinery's {@code pkg/api/errors} constructors: same codes, reasons, messages and details. Messages carry
 * names and field paths, never secret values.
 */
public class ApiException extends RuntimeException {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final int code;
    private final String reason;
    private final ObjectNode details; // may be null

    public ApiException(int code, String reason, String message, ObjectNode details) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    public int code() { return code; }
    public String reason() { return reason; }
    public ObjectNode details() { return details; }

    /** The {@code Status} object sent to the client. */
    public ObjectNode toStatus() {
        ObjectNode s = JSON.objectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        if (getMessage() != null && !getMessage().isEmpty()) s.put("message", getMessage());
        if (reason != null && !reason.isEmpty()) s.put("reason", reason);
        if (details != null) s.set("details", details);
        s.put("code", code);
        return s;
    }

    private static ObjectNode details(String name, GroupResource gr) {
        ObjectNode d = JSON.objectNode();
        if (name != null && !name.isEmpty()) d.put("name", name);
        if (!gr.group().isEmpty()) d.put("group", gr.group());
        d.put("kind", gr.resource());
        return d;
    }

    public static ApiException notFound(GroupResource gr, String name) {
        return new ApiException(404, "NotFound", gr + " " + GoQuote.quote(name) + " not found", details(name, gr));
    }

    public static ApiException alreadyExists(GroupResource gr, String name) {
        return new ApiException(409, "AlreadyExists", gr + " " + GoQuote.quote(name) + " already exists", details(name, gr));
    }

    public static ApiException conflict(GroupResource gr, String name, String why) {
        return new ApiException(409, "Conflict",
                "Operation cannot be fulfilled on " + gr + " " + GoQuote.quote(name) + ": " + why, details(name, gr));
    }

    /** The optimistic-concurrency conflict. */
    public static ApiException modified(GroupResource gr, String name) {
        return conflict(gr, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    /**
     * 422 Invalid. {@code kind} is the Kind (not the resource), {@code group} its API group.
     */
    public static ApiException invalid(String group, String kind, String name, List<FieldError> errors) {
        ObjectNode d = JSON.objectNode();
        if (name != null && !name.isEmpty()) d.put("name", name);
        if (!group.isEmpty()) d.put("group", group);
        d.put("kind", kind);
        ArrayNode causes = d.putArray("causes");
        for (FieldError e : errors) {
            ObjectNode c = causes.addObject();
            c.put("reason", e.type().reason());
            c.put("message", e.errorBody());
            c.put("field", e.field());
        }
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        return new ApiException(422, "Invalid",
                qualifiedKind + " " + GoQuote.quote(name == null ? "" : name) + " is invalid: " + aggregate(errors), d);
    }

    /** apimachinery's {@code utilerrors.NewAggregate(...).Error()}: one message, or {@code [a, b]}, de-duplicated. */
    public static String aggregate(List<FieldError> errors) {
        Set<String> msgs = new LinkedHashSet<>();
        for (FieldError e : errors) msgs.add(e.message());
        if (msgs.size() == 1) return msgs.iterator().next();
        return "[" + String.join(", ", new ArrayList<>(msgs)) + "]";
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null);
    }

    /** 403 for a resource request; {@code name} may be empty (collections). */
    public static ApiException forbidden(GroupResource gr, String name, String why) {
        String subject = name == null || name.isEmpty() ? gr.toString() : gr + " " + GoQuote.quote(name);
        return new ApiException(403, "Forbidden", subject + " is forbidden: " + why, details(name, gr));
    }

    /** 403 for a non-resource path. */
    public static ApiException forbiddenPath(String why) {
        return new ApiException(403, "Forbidden", "forbidden: " + why, null);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null);
    }

    public static ApiException expired(String message) {
        return new ApiException(410, "Expired", message, null);
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Gone", message, null);
    }

    public static ApiException requestEntityTooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message, null);
    }

    public static ApiException unsupportedMediaType(String contentType, List<String> accepted) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: " + String.join(", ", accepted), null);
    }

    public static ApiException notAcceptable(String message) {
        return new ApiException(406, "NotAcceptable", message, null);
    }

    public static ApiException notFoundPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", JSON.objectNode());
    }

    public static ApiException internal(String message) {
        ObjectNode d = JSON.objectNode();
        ArrayNode causes = d.putArray("causes");
        causes.addObject().put("message", message);
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, d);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message, null);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, "TooManyRequests", message, null);
    }
}
