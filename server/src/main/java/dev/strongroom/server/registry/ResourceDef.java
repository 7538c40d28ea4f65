package dev.strongroom.server.registry;

import dev.strongroom.api.errors.GroupResource;

import java.util.List;

/** Everything the generic machinery needs to know about one resource type. */
public record ResourceDef(String group, String version, String kind, String plural, String singular,
                          boolean namespaced, List<String> verbs, List<String> shortNames, Strategy strategy) {

    public GroupResource groupResource() { return new GroupResource(group, plural); }

    public String apiVersion() { return group.isEmpty() ? version : group + "/" + version; }

    public String listKind() { return kind + "List"; }

    /** The etcd-style store key, as kube-apiserver lays them out: {@code /registry/secrets/default/x}. */
    public String key(String namespace, String name) {
        return namespaced ? "/registry/" + plural + "/" + namespace + "/" + name : "/registry/" + plural + "/" + name;
    }

    /** The key prefix of one namespace's objects, or of all objects when {@code namespace} is empty. */
    public String prefix(String namespace) {
        return namespaced && !namespace.isEmpty() ? "/registry/" + plural + "/" + namespace + "/" : "/registry/" + plural + "/";
    }
}
