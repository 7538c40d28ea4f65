package dev.strongroom.scan.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One container of a pod template, with the effective security settings (a container's
 * {@code securityContext} field overrides the pod's, as the kubelet applies them).
 *
 * @param field {@code containers}, {@code initContainers} or {@code ephemeralContainers}
 */
public record Container(PodTemplate pod, String pointer, JsonNode node, String field) {

    public String name() {
        return node.path("name").asText("?");
    }

    /** "container \"web\"" or "init container \"setup\"", for messages. */
    public String label() {
        String what = switch (field) {
            case "initContainers" -> "init container";
            case "ephemeralContainers" -> "ephemeral container";
            default -> "container";
        };
        return what + " \"" + name() + "\"";
    }

    public JsonNode securityContext() {
        return node.path("securityContext");
    }

    /** The container's value for a security-context field if set, else the pod's. */
    public JsonNode effective(String field) {
        JsonNode own = securityContext().path(field);
        if (!own.isMissingNode() && !own.isNull()) return own;
        return pod.podSecurityContext().path(field);
    }

    /** Pointer of a field in this container's securityContext (where a fix would go). */
    public String securityContextPointer(String field) {
        return pointer + "/securityContext" + (field.isEmpty() ? "" : "/" + field);
    }

    /** Pointer to where {@code field} is actually set (container first, then pod), or the container's. */
    public String effectivePointer(String field) {
        if (!securityContext().path(field).isMissingNode()) return securityContextPointer(field);
        if (!pod.podSecurityContext().path(field).isMissingNode()) return pod.pointer("/securityContext/" + field);
        return pointer;
    }
}
