package dev.strongroom.server.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.registry.ResourceDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Legacy discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<g>}, {@code /apis/<g>/<v>}),
 * built from the registered resources. Aggregated discovery is optional for kubectl 1.27–1.33: clients that ask for
 * it get the legacy documents as plain JSON and fall back, as observed.
 */
public final class Discovery {
    private final byte[] api;
    private final byte[] apis;
    private final Map<String, byte[]> groupVersions = new LinkedHashMap<>();
    private final Map<String, byte[]> groups = new LinkedHashMap<>();

    public Discovery(List<Endpoint> endpoints, String serverAddress) {
        List<ResourceDef> resources = new ArrayList<>();
        Map<String, List<Endpoint.Subresource>> subresources = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            resources.add(e.def());
            subresources.put(e.def().apiVersion() + "/" + e.def().plural(), e.subresources());
        }
        ObjectNode a = Json.object();
        a.put("kind", "APIVersions");
        a.putArray("versions").add("v1");
        ObjectNode cidr = a.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        api = Json.bytes(a);

        Map<String, List<ResourceDef>> byGv = new LinkedHashMap<>();
        for (ResourceDef d : resources) byGv.computeIfAbsent(d.apiVersion(), k -> new ArrayList<>()).add(d);
        ObjectNode groupList = Json.object();
        groupList.put("kind", "APIGroupList");
        groupList.put("apiVersion", "v1");
        ArrayNode gl = groupList.putArray("groups");
        for (Map.Entry<String, List<ResourceDef>> e : byGv.entrySet()) {
            ResourceDef first = e.getValue().get(0);
            groupVersions.put(e.getKey(), Json.bytes(resourceList(e.getKey(), first.group().isEmpty(), e.getValue(), subresources)));
            if (!first.group().isEmpty()) {
                ObjectNode g = group(first.group(), first.version());
                gl.add(g);
                ObjectNode ordered = Json.object();
                ordered.put("kind", "APIGroup");
                ordered.put("apiVersion", "v1");
                ordered.setAll(g);
                groups.put(first.group(), Json.bytes(ordered));
            }
        }
        apis = Json.bytes(groupList);
    }

    private static ObjectNode group(String name, String version) {
        ObjectNode g = Json.object();
        g.put("name", name);
        ObjectNode v = g.putArray("versions").addObject();
        v.put("groupVersion", name + "/" + version);
        v.put("version", version);
        ObjectNode p = g.putObject("preferredVersion");
        p.put("groupVersion", name + "/" + version);
        p.put("version", version);
        return g;
    }

    private static ObjectNode resourceList(String gv, boolean core, List<ResourceDef> defs, Map<String, List<Endpoint.Subresource>> subs) {
        ObjectNode l = Json.object();
        l.put("kind", "APIResourceList");
        if (!core) l.put("apiVersion", "v1");
        l.put("groupVersion", gv);
        ArrayNode rs = l.putArray("resources");
        List<ResourceDef> sorted = new ArrayList<>(defs);
        sorted.sort((x, y) -> x.plural().compareTo(y.plural()));
        for (ResourceDef d : sorted) {
            ObjectNode r = rs.addObject();
            r.put("name", d.plural());
            r.put("singularName", d.singular());
            r.put("namespaced", d.namespaced());
            r.put("kind", d.kind());
            ArrayNode verbs = r.putArray("verbs");
            d.verbs().stream().sorted().forEach(verbs::add);
            if (!d.shortNames().isEmpty()) {
                ArrayNode sn = r.putArray("shortNames");
                d.shortNames().forEach(sn::add);
            }
            for (Endpoint.Subresource s : subs.getOrDefault(d.apiVersion() + "/" + d.plural(), List.of())) {
                ObjectNode sr = rs.addObject();
                sr.put("name", d.plural() + "/" + s.name());
                sr.put("singularName", "");
                sr.put("namespaced", d.namespaced());
                if (!s.group().equals(d.group()) || !s.version().equals(d.version())) {
                    sr.put("group", s.group());
                    sr.put("version", s.version());
                }
                sr.put("kind", s.kind());
                ArrayNode sv = sr.putArray("verbs");
                s.verbs().forEach(sv::add);
            }
        }
        return l;
    }

    public byte[] api() { return api; }

    public byte[] apis() { return apis; }

    /** @return the document for {@code group/version} ({@code v1} for core), or null */
    public byte[] groupVersion(String gv) { return groupVersions.get(gv); }

    public byte[] group(String group) { return groups.get(group); }
}
