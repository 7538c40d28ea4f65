package dev.strongroom.scan.rules.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.input.SourceMap;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * The places where a committed credential hides in plain text: container env values, command and
 * args, ConfigMap data, and annotations on any object.
 */
final class TextSites {
    private TextSites() {}

    /** One text value: the key it is stored under (env name, data key...) and where it is. */
    record Site(KubeObject object, String pointer, String key, String value, String where) {}

    // Mirrors the object's own fields, which are scanned directly; reporting it again is noise.
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    static List<Site> all(Inventory inventory) {
        List<Site> sites = new ArrayList<>();
        for (PodTemplate pod : inventory.podTemplates()) {
            if (!pod.metaPointer().equals("/metadata")) { // a workload's pod template has annotations of its own
                pod.owner().at(pod.metaPointer() + "/annotations").properties().forEach(e -> sites.add(new Site(pod.owner(),
                        pod.metaPointer() + "/annotations/" + SourceMap.escape(e.getKey()), e.getKey(), e.getValue().asText(),
                        "pod template annotation " + e.getKey())));
            }
            for (Container c : pod.containers()) {
                JsonNode env = c.node().path("env");
                for (int i = 0; i < env.size(); i++) {
                    JsonNode e = env.get(i);
                    if (e.path("value").isValueNode()) {
                        sites.add(new Site(pod.owner(), c.pointer() + "/env/" + i + "/value", e.path("name").asText(),
                                e.path("value").asText(), "env " + e.path("name").asText() + " of " + c.label()));
                    }
                }
                for (String field : List.of("command", "args")) {
                    JsonNode list = c.node().path(field);
                    for (int i = 0; i < list.size(); i++) {
                        sites.add(new Site(pod.owner(), c.pointer() + "/" + field + "/" + i, null, list.get(i).asText(),
                                field + " of " + c.label()));
                    }
                }
            }
        }
        for (KubeObject cm : inventory.ofKind("ConfigMap")) {
            cm.body().path("data").properties().forEach(e -> sites.add(new Site(cm,
                    "/data/" + SourceMap.escape(e.getKey()), e.getKey(), e.getValue().asText(), "data." + e.getKey())));
        }
        for (KubeObject o : inventory.all()) {
            o.metadata().path("annotations").properties().forEach(e -> {
                if (!e.getKey().equals(LAST_APPLIED) && !e.getKey().startsWith("strongroom.dev/")) {
                    sites.add(new Site(o, "/metadata/annotations/" + SourceMap.escape(e.getKey()), e.getKey(),
                            e.getValue().asText(), "annotation " + e.getKey()));
                }
            });
        }
        return sites;
    }
}
