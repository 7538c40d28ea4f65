package dev.strongroom.server.request;

import java.util.Map;
import java.util.Set;

/**
 * Parses a URL path and method into a {@link RequestInfo}, following kube-apiserver's
 * {@code RequestInfoFactory.NewRequestInfo}: {@code /api/v1/...} and {@code /apis/<group>/<version>/...} are resource
 * requests, everything else is a non-resource request.
 */
public final class RequestInfoResolver {
    /** Paths under /api and /apis that are discovery, not resources. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    private RequestInfoResolver() {}

    public static RequestInfo resolve(String method, String path, Map<String, String> query) {
        String verb = method.toLowerCase();
        String[] parts = split(path);
        if (parts.length == 0 || !(parts[0].equals("api") || parts[0].equals("apis"))) {
            return RequestInfo.nonResource(path, verb);
        }
        String prefix = parts[0];
        int i = 1;
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.length < 3) return RequestInfo.nonResource(path, verb); // /apis, /apis/<group>
            group = parts[1];
            i = 2;
        } else if (parts.length < 2) {
            return RequestInfo.nonResource(path, verb); // /api
        }
        String version = parts[i++];
        if (i >= parts.length) return RequestInfo.nonResource(path, verb); // /api/v1, /apis/g/v discovery

        String namespace = "";
        String resource;
        String name = "";
        String subresource = "";
        String[] rest = java.util.Arrays.copyOfRange(parts, i, parts.length);
        if (rest[0].equals("namespaces")) {
            if (rest.length >= 3 && !NAMESPACE_SUBRESOURCES.contains(rest[2])) {
                // /namespaces/{ns}/{resource}[/{name}[/{subresource}]]
                namespace = rest[1];
                resource = rest[2];
                if (rest.length >= 4) name = rest[3];
                if (rest.length >= 5) subresource = rest[4];
            } else {
                // /namespaces[/{name}[/{subresource}]]: the namespace is the object
                resource = "namespaces";
                if (rest.length >= 2) { name = rest[1]; namespace = rest[1]; }
                if (rest.length >= 3) subresource = rest[2];
            }
        } else {
            resource = rest[0];
            if (rest.length >= 2) name = rest[1];
            if (rest.length >= 3) subresource = rest[2];
        }

        boolean watchParam = isTrue(query.get("watch"));
        String kverb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> name.isEmpty() ? (watchParam ? "watch" : "list") : (watchParam ? "watch" : "get");
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> verb;
        };
        return new RequestInfo(true, path, kverb, prefix, group, version, namespace, resource, subresource, name);
    }

    static boolean isTrue(String v) {
        return v != null && (v.equals("true") || v.equals("1"));
    }

    /** The non-empty segments of a path ({@code /api/v1/x/} → api, v1, x); hand-rolled: it runs on every request. */
    private static String[] split(String path) {
        int n = 0;
        for (int i = 0, len = path.length(); i < len; ) {
            while (i < len && path.charAt(i) == '/') i++;
            if (i == len) break;
            n++;
            while (i < len && path.charAt(i) != '/') i++;
        }
        String[] out = new String[n];
        int k = 0;
        for (int i = 0, len = path.length(); i < len; ) {
            while (i < len && path.charAt(i) == '/') i++;
            if (i == len) break;
            int start = i;
            while (i < len && path.charAt(i) != '/') i++;
            out[k++] = path.substring(start, i);
        }
        return out;
    }
}
