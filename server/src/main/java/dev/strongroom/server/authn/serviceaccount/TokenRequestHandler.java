package dev.strongroom.server.authn.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.errors.GroupResource;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.registry.Bodies;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.ResourceStore;
import dev.strongroom.server.registry.Resources;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}: kube-apiserver's {@code TokenREST.Create}.
 * Body and answer are an {@code authentication.k8s.io/v1} TokenRequest; nothing is stored.
 */
public final class TokenRequestHandler implements Endpoint.Subresource.Handler {
    static final String GROUP = "authentication.k8s.io";
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;

    private final ServiceAccountTokens tokens;
    private final ResourceStore secrets;
    private final List<String> apiAudiences;
    private final long maxExpirationSeconds; // 0: no cap
    private final Clock clock;

    public TokenRequestHandler(ServiceAccountTokens tokens, ResourceStore secrets, List<String> apiAudiences, long maxExpirationSeconds, Clock clock) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.maxExpirationSeconds = maxExpirationSeconds;
        this.clock = clock;
    }

    /** The subresource to register on the ServiceAccounts handler. */
    public Endpoint.Subresource subresource() {
        return new Endpoint.Subresource("token", GROUP, "v1", "TokenRequest", List.of("create"), this);
    }

    @Override
    public ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user, ResourceStore.Stored parent) {
        ObjectNode in = Bodies.decode(req, "authentication.k8s.io/v1", "TokenRequest").object();
        String kind = Meta.str(in, "kind");
        String apiVersion = Meta.str(in, "apiVersion");
        if (!kind.isEmpty() && !kind.equals("TokenRequest")) {
            throw Bodies.cannotHandle("TokenRequest", "v1", "the object provided is unrecognized (must be of type TokenRequest)");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals(GROUP + "/v1")) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + GROUP + "/v1)");
        }
        String name = info.name(), namespace = info.namespace();
        ObjectNode meta = in.get("metadata") instanceof ObjectNode m ? m.deepCopy() : Json.object();
        String bodyName = Meta.str(meta, "name"), bodyNs = Meta.str(meta, "namespace");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.invalid(GROUP, "TokenRequest", name,
                    List.of(FieldError.invalid("metadata.name", bodyName, "must match the service account name if specified")));
        }
        if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
            throw ApiException.invalid(GROUP, "TokenRequest", name,
                    List.of(FieldError.invalid("metadata.namespace", bodyNs, "must match the service account namespace if specified")));
        }
        JsonNode spec = in.path("spec");
        List<String> audiences = strings(spec.get("audiences"), "spec.audiences");
        if (audiences.isEmpty()) audiences = apiAudiences;
        long expirationSeconds = DEFAULT_EXPIRATION_SECONDS;
        JsonNode exp = spec.get("expirationSeconds");
        if (exp != null && !exp.isNull()) {
            if (!exp.canConvertToLong() || !exp.isIntegralNumber()) {
                throw Bodies.cannotHandle("TokenRequest", "v1", "json: cannot unmarshal " + (exp.isTextual() ? "string" : "number") + " into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64");
            }
            expirationSeconds = exp.asLong();
        }
        Instant now = clock.instant();
        List<FieldError> errs = new ArrayList<>();
        if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
            errs.add(FieldError.invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes"));
        }
        if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
            errs.add(FieldError.invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
        }
        if (!errs.isEmpty()) throw ApiException.invalid(GROUP, "TokenRequest", "", errs);

        ObjectNode sa = parent.object();
        String saUid = Meta.str(sa.get("metadata"), "uid");
        ServiceAccountTokens.Ref secretRef = null;
        JsonNode bound = spec.get("boundObjectRef");
        ObjectNode boundOut = null;
        if (bound != null && !bound.isNull()) {
            String refKind = bound.path("kind").asText(""), refApiVersion = bound.path("apiVersion").asText("");
            String refName = bound.path("name").asText(""), refUid = bound.path("uid").asText("");
            String group = refApiVersion.contains("/") ? refApiVersion.substring(0, refApiVersion.indexOf('/')) : "";
            String version = refApiVersion.contains("/") ? refApiVersion.substring(refApiVersion.indexOf('/') + 1) : refApiVersion;
            if (group.isEmpty() && refKind.equals("Secret")) {
                ResourceStore.Stored secret = secrets.get(namespace, refName);
                if (secret == null) throw ApiException.notFound(Resources.SECRETS.groupResource(), refName);
                String uid = Meta.str(secret.object().get("metadata"), "uid");
                if (!refUid.isEmpty() && !refUid.equals(uid)) {
                    throw ApiException.conflict(new GroupResource(group, refKind), refName, "the UID in the bound object reference (" + refUid
                            + ") does not match the UID in record. The object might have been deleted and then recreated");
                }
                secretRef = new ServiceAccountTokens.Ref(refName, uid);
            } else {
                String gvk = group + "/" + version + ", Kind=" + refKind;
                String why = group.isEmpty() && (refKind.equals("Pod") || refKind.equals("Node"))
                        ? ": Strongroom serves no pods or nodes, so tokens can only be bound to a Secret" : "";
                throw ApiException.badRequest("cannot bind token to object of type " + gvk + why);
            }
            boundOut = Json.object();
            if (!refKind.isEmpty()) boundOut.put("kind", refKind);
            if (!refApiVersion.isEmpty()) boundOut.put("apiVersion", refApiVersion);
            if (!refName.isEmpty()) boundOut.put("name", refName);
            if (!refUid.isEmpty()) boundOut.put("uid", refUid);
        }

        String warning = null;
        if (maxExpirationSeconds > 0 && expirationSeconds > maxExpirationSeconds) {
            warning = "requested expiration of " + expirationSeconds + " seconds shortened to " + maxExpirationSeconds + " seconds";
            expirationSeconds = maxExpirationSeconds;
        }
        String token = tokens.mint(namespace, new ServiceAccountTokens.Ref(Meta.name(sa), saUid), secretRef, audiences, now, expirationSeconds);

        ObjectNode out = Json.object();
        out.put("kind", "TokenRequest");
        out.put("apiVersion", GROUP + "/v1");
        ObjectNode outMeta = out.putObject("metadata");
        outMeta.put("name", name);
        outMeta.put("namespace", namespace);
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("creationTimestamp") && !outMeta.has(e.getKey())) outMeta.set(e.getKey(), e.getValue());
        }
        outMeta.put("creationTimestamp", Meta.time(now));
        ObjectNode outSpec = out.putObject("spec");
        ArrayNode auds = outSpec.putArray("audiences");
        audiences.forEach(auds::add);
        outSpec.put("expirationSeconds", expirationSeconds);
        if (boundOut == null) outSpec.putNull("boundObjectRef");
        else outSpec.set("boundObjectRef", boundOut);
        ObjectNode status = out.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", Meta.time(now.plusSeconds(expirationSeconds)));
        ApiResponse r = ResourceHandler.json(req, 201, out);
        if (warning != null) r.headers().put("Warning", "299 - " + dev.strongroom.api.errors.GoQuote.quote(warning));
        return r;
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw Bodies.cannotHandle("TokenRequest", "v1", "json: cannot unmarshal " + n.getNodeType().toString().toLowerCase() + " into Go struct field TokenRequestSpec." + field + " of type []string");
        for (JsonNode x : n) {
            if (!x.isTextual()) throw Bodies.cannotHandle("TokenRequest", "v1", "json: cannot unmarshal " + x.getNodeType().toString().toLowerCase() + " into Go struct field TokenRequestSpec." + field + " of type string");
            out.add(x.asText());
        }
        return out;
    }
}
