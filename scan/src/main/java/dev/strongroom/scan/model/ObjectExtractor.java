package dev.strongroom.scan.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.input.LoadedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds the Kubernetes objects in a parsed document: the document itself, or the items of a
 * {@code List} ({@code kubectl get -o yaml} of several objects, or {@code DeploymentList} etc.).
 */
public final class ObjectExtractor {
    private ObjectExtractor() {}

    /** Emits each object; returns false if the document is not a Kubernetes object at all. */
    public static boolean extract(LoadedDocument doc, boolean live, Consumer<KubeObject> sink) {
        JsonNode root = doc.root();
        if (!isObject(root)) return false;
        String kind = root.path("kind").asText();
        JsonNode items = root.path("items");
        if (kind.endsWith("List") && items.isArray()) {
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (isObject(item)) sink.accept(new KubeObject(doc.origin(), item, doc.sourceMap(), "/items/" + i, live));
            }
            return true;
        }
        sink.accept(new KubeObject(doc.origin(), root, doc.sourceMap(), "", live));
        return true;
    }

    private static boolean isObject(JsonNode node) {
        return node != null && node.isObject() && node.path("kind").isTextual() && !node.path("kind").asText().isEmpty()
                && node.path("apiVersion").isTextual();
    }

    public static List<KubeObject> extractAll(LoadedDocument doc, boolean live) {
        List<KubeObject> out = new ArrayList<>();
        extract(doc, live, out::add);
        return out;
    }
}
