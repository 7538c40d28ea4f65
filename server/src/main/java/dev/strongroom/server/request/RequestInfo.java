package dev.strongroom.server.request;

/**
 * What a request is about, as kube-apiserver's {@code request.RequestInfo}: either a resource request
 * ({@code /api/v1/namespaces/default/secrets/x}) or a non-resource one ({@code /version}).
 *
 * @param verb the Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) for resource
 *             requests; the lowercase HTTP method for non-resource requests
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiPrefix, String apiGroup,
                          String apiVersion, String namespace, String resource, String subresource, String name) {

    public static RequestInfo nonResource(String path, String verb) {
        return new RequestInfo(false, path, verb, "", "", "", "", "", "", "");
    }

    /** {@code secrets} or {@code serviceaccounts/token}, as RBAC rules and forbidden messages name it. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    public String groupVersion() {
        return apiGroup.isEmpty() ? apiVersion : apiGroup + "/" + apiVersion;
    }
}
