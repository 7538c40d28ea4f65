package dev.strongroom.server.registry;

import dev.strongroom.crypto.ValueTransformer;
import dev.strongroom.store.RevisionedStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All resources of the server: one encrypted {@link ResourceStore} per stored resource, and the endpoints the
 * handler chain dispatches to (stored resources and create-only virtual ones such as reviews).
 */
public final class Registry {
    private final Map<ResourceDef, ResourceStore> stores = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    public Registry(RevisionedStore store, ValueTransformer transformer, List<ResourceDef> defs) {
        for (ResourceDef d : defs) stores.put(d, new ResourceStore(d, store, transformer));
    }

    public ResourceStore store(ResourceDef def) {
        ResourceStore s = stores.get(def);
        if (s == null) throw new IllegalArgumentException("not a stored resource: " + def.plural());
        return s;
    }

    /** Stores of namespaced resources: what a namespace deletion empties. */
    public List<ResourceStore> namespacedStores() {
        List<ResourceStore> out = new ArrayList<>();
        for (ResourceStore s : stores.values()) if (s.def().namespaced()) out.add(s);
        return out;
    }

    public void serve(Endpoint e) {
        endpoints.put(key(e.def().apiVersion(), e.def().plural()), e);
    }

    public ResourceHandler handler(ResourceDef def) {
        return (ResourceHandler) endpoints.get(key(def.apiVersion(), def.plural()));
    }

    public static String key(String groupVersion, String plural) { return groupVersion + "/" + plural; }

    public Map<String, Endpoint> endpoints() { return Map.copyOf(endpoints); }

    public List<Endpoint> endpointList() { return List.copyOf(endpoints.values()); }
}
