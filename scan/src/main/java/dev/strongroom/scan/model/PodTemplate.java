package dev.strongroom.scan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pod spec inside any workload: a Pod's own spec, a Deployment's (or StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job) {@code spec.template}, a CronJob's
 * {@code spec.jobTemplate.spec.template}, a PodTemplate's {@code template}, and any other kind
 * (Argo Rollouts, OpenKruise...) that has {@code spec.template.spec.containers}.
 *
 * @param owner        the workload object
 * @param specPointer  JSON Pointer of the pod spec inside {@code owner}
 * @param metaPointer  JSON Pointer of the pod metadata (labels, annotations)
 */
public record PodTemplate(KubeObject owner, String specPointer, String metaPointer) {

    public static Optional<PodTemplate> of(KubeObject o) {
        String kind = o.kind();
        String base = switch (kind) {
            case "Pod" -> "";
            case "CronJob" -> "/spec/jobTemplate/spec/template";
            case "PodTemplate" -> "/template";
            default -> o.at("/spec/template/spec/containers").isArray() ? "/spec/template" : null;
        };
        if (base == null) return Optional.empty();
        if (kind.equals("Pod")) return Optional.of(new PodTemplate(o, "/spec", "/metadata"));
        if (!o.at(base + "/spec").isObject()) return Optional.empty();
        return Optional.of(new PodTemplate(o, base + "/spec", base + "/metadata"));
    }

    public JsonNode spec() {
        return owner.at(specPointer);
    }

    public JsonNode podSecurityContext() {
        return spec().path("securityContext");
    }

    public JsonNode labels() {
        JsonNode labels = owner.at(metaPointer + "/labels");
        return labels.isObject() ? labels : MissingNode.getInstance();
    }

    /** An annotation on the pod template (not on the workload object). */
    public String podAnnotation(String key) {
        JsonNode v = owner.at(metaPointer + "/annotations").path(key);
        return v.isValueNode() ? v.asText() : null;
    }

    /** Containers, init containers and ephemeral containers, in that order. */
    public List<Container> containers() {
        List<Container> out = new ArrayList<>();
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            JsonNode list = spec().path(field);
            for (int i = 0; i < list.size(); i++) {
                out.add(new Container(this, specPointer + "/" + field + "/" + i, list.get(i), field));
            }
        }
        return out;
    }

    /** The service account the pod runs as ({@code default} when unset, as the API server does). */
    public String serviceAccountName() {
        String sa = spec().path("serviceAccountName").asText("");
        if (sa.isEmpty()) sa = spec().path("serviceAccount").asText("");
        return sa.isEmpty() ? "default" : sa;
    }

    /** True when the pod declares it runs on Windows: some PSS controls do not apply then. */
    public boolean isWindows() {
        return "windows".equals(spec().path("os").path("name").asText());
    }

    /** A pointer inside the pod spec. */
    public String pointer(String relative) {
        return specPointer + relative;
    }
}
