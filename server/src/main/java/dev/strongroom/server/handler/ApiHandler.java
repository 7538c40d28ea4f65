package dev.strongroom.server.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.GroupResource;
import dev.strongroom.api.errors.GoQuote;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.audit.Auditor;
import dev.strongroom.server.authn.AuthenticatorChain;
import dev.strongroom.server.authz.Impersonation;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;
import dev.strongroom.server.authz.Authorizer;
import dev.strongroom.server.authz.Decision;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.request.RequestInfoResolver;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;
import dev.strongroom.server.transport.HttpTransport;
import dev.strongroom.server.transport.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The handler chain of DESIGN.md, in order: request info → authentication → authorization → the resource's
 * registry handler (or a non-resource endpoint). Each step is a small method; later steps never reach around
 * earlier ones.
 */
public final class ApiHandler implements HttpTransport.Handler {
    /** Served to anyone (kube-apiserver's system:public-info-viewer), even without credentials. */
    private static final Set<String> PUBLIC_PATHS = Set.of("/livez", "/readyz", "/healthz", "/version", "/version/");

    private final AuthenticatorChain authenticators;
    private final Authorizer authorizer;
    private final Map<String, Endpoint> resources; // key: groupVersion + "/" + plural
    private final Discovery discovery;
    private final byte[] version;
    private final Map<String, java.util.function.Function<ApiRequest, ApiResponse>> publicPaths;
    private final Auditor auditor;

    public ApiHandler(AuthenticatorChain authenticators, Authorizer authorizer, Map<String, Endpoint> resources,
                      Discovery discovery, ObjectNode versionInfo,
                      Map<String, java.util.function.Function<ApiRequest, ApiResponse>> publicPaths, Auditor auditor) {
        this.publicPaths = Map.copyOf(publicPaths);
        this.auditor = auditor;
        this.authenticators = authenticators;
        this.authorizer = authorizer;
        this.resources = Map.copyOf(resources);
        this.discovery = discovery;
        this.version = Json.bytes(versionInfo);
    }

    @Override
    public boolean nonBlocking(String method, String path, Map<String, String> query) {
        // Reads of the current state come from memory; history reads (continue, Exact) and watches may hit disk.
        if (!method.equals("GET") || auditor.blocksRequests()) return false; // fail-closed audit waits for the disk
        String watch = query.get("watch");
        if (watch != null && (watch.equals("true") || watch.equals("1"))) return false;
        String cont = query.get("continue");
        return (cont == null || cont.isEmpty()) && !"Exact".equals(query.get("resourceVersionMatch"));
    }

    @Override
    public ApiResponse handle(ApiRequest req) {
        RequestInfo info = RequestInfoResolver.resolve(req.method(), req.path(), req.query());
        UserInfo user = authenticators.authenticate(req);
        if (user == null) {
            // Health and version answer anyone without credentials; bad credentials are a 401 everywhere (upstream).
            boolean presented = req.header("Authorization") != null || req.hasClientCertificate();
            if (presented || !PUBLIC_PATHS.contains(req.path())) {
                ApiException refusal = ApiException.unauthorized();
                auditor.unauthenticated(req, info, refusal);
                throw refusal;
            }
            user = UserInfo.ANONYMOUS;
        }
        Auditor.Record audit = auditor.begin(req, info, user);
        try {
            UserInfo effective = Impersonation.apply(req, user, authorizer);
            if (effective != user) audit.impersonated(effective);
            authorize(effective, info, audit);
            return audit.completed(dispatch(req, info, effective));
        } catch (ApiException e) {
            audit.failed(e);
            throw e;
        } catch (RuntimeException e) {
            audit.failed(ApiException.internal("an unexpected error occurred; see the server log")); // as the transport answers
            throw e;
        }
    }

    private void authorize(UserInfo user, RequestInfo info, Auditor.Record audit) {
        Decision d = authorizer.authorize(Attributes.of(user, info));
        audit.authorized(d);
        if (d.allowed()) return;
        String why = forbiddenReason(user, info) + (d.reason().isEmpty() ? "" : ": " + d.reason());
        if (!info.resourceRequest()) throw ApiException.forbiddenPath(why);
        throw ApiException.forbidden(new GroupResource(info.apiGroup(), info.resourceWithSubresource()), info.name(), why);
    }

    /** kube-apiserver's {@code forbiddenMessage}. */
    static String forbiddenReason(UserInfo user, RequestInfo info) {
        String who = "User " + GoQuote.quote(user.name());
        if (!info.resourceRequest()) return who + " cannot " + info.verb() + " path " + GoQuote.quote(info.path());
        String scope = info.namespace().isEmpty() ? "at the cluster scope" : "in the namespace " + GoQuote.quote(info.namespace());
        return who + " cannot " + info.verb() + " resource " + GoQuote.quote(info.resourceWithSubresource())
                + " in API group " + GoQuote.quote(info.apiGroup()) + " " + scope;
    }

    private ApiResponse dispatch(ApiRequest req, RequestInfo info, UserInfo user) {
        if (!info.resourceRequest()) return nonResource(req);
        Endpoint h = resources.get(dev.strongroom.server.registry.Registry.key(info.groupVersion(), info.resource()));
        if (h == null) throw ApiException.notFoundPath();
        return h.handle(req, info, user);
    }

    private ApiResponse nonResource(ApiRequest req) {
        String path = req.path();
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) throw ApiException.notFoundPath();
        switch (path) {
            case "/livez", "/readyz", "/healthz" -> { return text("ok"); }
            case "/version", "/version/" -> { return new ApiResponse.Full(200, MediaTypes.JSON, version); }
            case "/api", "/api/" -> { return new ApiResponse.Full(200, MediaTypes.JSON, discovery.api()); }
            case "/apis", "/apis/" -> { return new ApiResponse.Full(200, MediaTypes.JSON, discovery.apis()); }
            case "/openapi/v2" -> {
                // An empty protobuf openapi_v2.Document: enough for kubectl's validator, which then trusts
                // server-side field validation (fieldValidation=Strict).
                return new ApiResponse.Full(200, MediaTypes.OPENAPI_V2_PROTOBUF, new byte[0]);
            }
            default -> { }
        }
        var published = publicPaths.get(path);
        if (published != null) return published.apply(req); // e.g. OIDC discovery, authorized by RBAC like any path
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api/v1")) return discoveryDoc(discovery.groupVersion("v1"));
        if (p.startsWith("/apis/")) {
            String rest = p.substring("/apis/".length());
            if (!rest.contains("/")) return discoveryDoc(discovery.group(rest));
            return discoveryDoc(discovery.groupVersion(rest));
        }
        throw ApiException.notFoundPath();
    }

    private static ApiResponse discoveryDoc(byte[] doc) {
        if (doc == null) throw ApiException.notFoundPath();
        return new ApiResponse.Full(200, MediaTypes.JSON, doc);
    }

    private static ApiResponse text(String s) {
        return new ApiResponse.Full(200, "text/plain; charset=utf-8", s.getBytes(StandardCharsets.UTF_8));
    }
}
