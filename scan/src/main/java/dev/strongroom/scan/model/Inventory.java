package dev.strongroom.scan.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every object of one scan, indexed the ways rules look things up. Rules that need more than one
 * object (a binding and its role, a namespace and its policies) resolve them here, so they see
 * exactly what a cluster built from the scanned files would contain.
 */
public final class Inventory {
    private final List<KubeObject> objects;
    private final Map<String, List<KubeObject>> byKind = new HashMap<>();
    private final List<PodTemplate> podTemplates = new ArrayList<>();
    private final Map<String, KubeObject> firstInNamespace = new LinkedHashMap<>();
    private final Map<String, List<KubeObject>> byKindAndNamespace = new HashMap<>();

    public Inventory(List<KubeObject> objects) {
        this.objects = List.copyOf(objects);
        for (KubeObject o : this.objects) {
            byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o);
            byKindAndNamespace.computeIfAbsent(o.kind() + "/" + o.namespace(), k -> new ArrayList<>()).add(o);
            PodTemplate.of(o).ifPresent(podTemplates::add);
        }
        for (KubeObject ns : ofKind("Namespace")) firstInNamespace.putIfAbsent(ns.name(), ns);
        for (PodTemplate t : podTemplates) firstInNamespace.putIfAbsent(t.owner().namespace(), t.owner());
    }

    public List<KubeObject> all() {
        return objects;
    }

    public List<KubeObject> ofKind(String kind) {
        return byKind.getOrDefault(kind, Collections.emptyList());
    }

    /** Every workload's pod spec: Pods, Deployments, CronJobs... (see {@link PodTemplate}). */
    public List<PodTemplate> podTemplates() {
        return podTemplates;
    }

    /**
     * Namespaces a namespace-level rule (quotas, default-deny) should look at: those declared by a
     * Namespace object and those where some workload runs. Each maps to the object a finding about
     * the namespace is attached to (the Namespace object if scanned, else its first workload).
     */
    public Map<String, KubeObject> namespacesInScope() {
        return firstInNamespace;
    }

    public List<KubeObject> inNamespace(String kind, String namespace) {
        return byKindAndNamespace.getOrDefault(kind + "/" + namespace, Collections.emptyList());
    }
}
