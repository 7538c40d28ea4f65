package dev.strongroom.scan.rules.images;

import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.PodTemplate;
import java.util.function.BiConsumer;

/** Visits every container image of every workload. */
final class ImageRules {
    private ImageRules() {}

    static void forEachImage(Inventory inventory, BiConsumer<Container, ImageReference> visitor) {
        for (PodTemplate pod : inventory.podTemplates()) {
            for (Container c : pod.containers()) {
                String image = c.node().path("image").asText("");
                if (!image.isEmpty()) visitor.accept(c, ImageReference.parse(image));
            }
        }
    }
}
