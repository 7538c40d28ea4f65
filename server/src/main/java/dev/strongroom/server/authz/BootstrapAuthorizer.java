package dev.strongroom.server.authz;

import dev.strongroom.server.authn.UserInfo;

import java.util.Set;

/**
 * Until RBAC exists: {@code system:masters} may do everything; any other authenticated user may only read
 * discovery and health endpoints (what the bootstrap {@code system:discovery} and
 * {@code system:public-info-viewer} roles grant); anonymous users only the public info paths.
 */
public final class BootstrapAuthorizer implements Authorizer {
    private static final Set<String> PUBLIC = Set.of("/healthz", "/livez", "/readyz", "/version", "/version/");
    private static final Set<String> DISCOVERY_EXACT = Set.of("/api", "/apis", "/openapi", "/openapi/v2", "/openapi/v3");
    private static final String[] DISCOVERY_PREFIXES = {"/api/", "/apis/", "/openapi/"};

    @Override
    public Decision authorize(Attributes a) {
        if (a.user().inGroup(UserInfo.MASTERS)) return Decision.allow("");
        if (!a.resourceRequest() && a.verb().equals("get")) {
            if (PUBLIC.contains(a.path())) return Decision.allow("");
            if (a.user().inGroup(UserInfo.AUTHENTICATED)) {
                if (DISCOVERY_EXACT.contains(a.path())) return Decision.allow("");
                for (String p : DISCOVERY_PREFIXES) if (a.path().startsWith(p)) return Decision.allow("");
            }
        }
        return Decision.deny("");
    }
}
