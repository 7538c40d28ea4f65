package dev.strongroom.server.registry;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.util.List;

/**
 * What the handler chain dispatches an authorized resource request to: a stored resource ({@link ResourceHandler})
 * or a virtual, create-only one (reviews).
 */
public interface Endpoint {
    ResourceDef def();

    ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user);

    /** Subresources served under this resource, for discovery. */
    default List<Subresource> subresources() { return List.of(); }

    /** A subresource such as {@code serviceaccounts/token}: its own kind, group/version and verbs. */
    record Subresource(String name, String group, String version, String kind, List<String> verbs, Handler handler) {
        /** Serves one subresource request on an existing parent object. */
        public interface Handler {
            ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user, ResourceStore.Stored parent);
        }
    }
}
