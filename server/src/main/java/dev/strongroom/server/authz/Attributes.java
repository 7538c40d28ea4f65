package dev.strongroom.server.authz;

import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.request.RequestInfo;

/** The question an authorizer answers: may this user do this verb on this resource or path? */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String path, String apiGroup,
                         String apiVersion, String namespace, String resource, String subresource, String name) {

    public static Attributes of(UserInfo user, RequestInfo info) {
        return new Attributes(user, info.verb(), info.resourceRequest(), info.path(), info.apiGroup(),
                info.apiVersion(), info.namespace(), info.resource(), info.subresource(), info.name());
    }
}
