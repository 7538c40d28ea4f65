package dev.strongroom.scan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.strongroom.scan.input.Position;
import dev.strongroom.scan.input.SourceMap;
import java.util.Set;

/**
 * One Kubernetes object (or cluster configuration document) found in a source.
 *
 * @param origin  the file it came from, {@code <stdin>}, or a {@code cluster/...} name for live objects
 * @param body    the object itself
 * @param sourceMap positions of the whole document the object is part of
 * @param base    JSON Pointer of the object inside its document ({@code ""}, or {@code /items/3} in a List)
 * @param live    true if read from a cluster rather than from a file
 */
public record KubeObject(String origin, JsonNode body, SourceMap sourceMap, String base, boolean live) {

    /** Kinds that are never namespaced, so they do not make a namespace "in scope". */
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver", "VolumeAttachment");

    public String kind() {
        return body.path("kind").asText("");
    }

    public String apiVersion() {
        return body.path("apiVersion").asText("");
    }

    /** The API group of {@link #apiVersion()}: {@code ""} for core {@code v1}. */
    public String group() {
        String v = apiVersion();
        int slash = v.indexOf('/');
        return slash < 0 ? "" : v.substring(0, slash);
    }

    public String name() {
        JsonNode meta = body.path("metadata");
        String name = meta.path("name").asText("");
        return name.isEmpty() ? meta.path("generateName").asText("") : name;
    }

    /** The namespace kubectl would use: the one written, else {@code default} for namespaced kinds. */
    public String namespace() {
        if (!isNamespaced()) return "";
        String ns = body.path("metadata").path("namespace").asText("");
        return ns.isEmpty() ? "default" : ns;
    }

    /**
     * True for objects that live in a namespace. Configuration files for control-plane components
     * (EncryptionConfiguration, audit Policy, kubeadm, flags) are not API objects and never are.
     */
    public boolean isNamespaced() {
        if (CLUSTER_SCOPED.contains(kind())) return false;
        String group = group();
        return !(group.endsWith(".config.k8s.io") || group.equals("audit.k8s.io") || group.equals("kubeadm.k8s.io")
                || group.equals("scan.strongroom.dev") || kind().equals("EncryptionConfig"));
    }

    public JsonNode metadata() {
        return body.path("metadata");
    }

    /** An annotation value, or null. */
    public String annotation(String key) {
        JsonNode v = metadata().path("annotations").path(key);
        return v.isValueNode() ? v.asText() : null;
    }

    public JsonNode at(String pointer) {
        JsonNode n = body.at(pointer);
        return n == null ? MissingNode.getInstance() : n;
    }

    /** Exact position of the node at {@code pointer} (or of its nearest existing ancestor). */
    public Position position(String pointer) {
        return sourceMap.nearest(base + pointer);
    }

    /** "Deployment prod/web", or "ClusterRole admin-all" for cluster-scoped kinds. */
    public String displayName() {
        String ns = namespace();
        if (name().isEmpty()) return ns.isEmpty() ? kind() : kind() + " " + ns + "/(unnamed)"; // config files have no name
        return kind() + " " + (ns.isEmpty() ? name() : ns + "/" + name());
    }
}
