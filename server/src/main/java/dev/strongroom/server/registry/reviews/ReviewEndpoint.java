package dev.strongroom.server.registry.reviews;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.registry.Bodies;
import dev.strongroom.server.registry.Endpoint;
import dev.strongroom.server.registry.Meta;
import dev.strongroom.server.registry.ResourceDef;
import dev.strongroom.server.registry.ResourceHandler;
import dev.strongroom.server.registry.Strategy;
import dev.strongroom.server.registry.TableConvertor;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

import java.util.List;
import java.util.Map;

/**
 * A create-only resource that is computed, never stored (access reviews, token reviews): decode the request object,
 * compute its status, answer 201 with it, as kube-apiserver's review REST storages do.
 */
public final class ReviewEndpoint implements Endpoint {

    /** Computes the review: validates {@code review} and fills its {@code status}. */
    public interface Evaluator {
        void evaluate(ObjectNode review, RequestInfo info, UserInfo user);
    }

    private final ResourceDef def;
    private final Evaluator evaluator;

    public ReviewEndpoint(String group, String kind, String plural, boolean namespaced, Evaluator evaluator) {
        this.def = new ResourceDef(group, "v1", kind, plural, kind.toLowerCase(), namespaced, List.of("create"), List.of(), NO_STORAGE);
        this.evaluator = evaluator;
    }

    @Override
    public ResourceDef def() { return def; }

    @Override
    public ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user) {
        if (!info.verb().equals("create") || !info.name().isEmpty() || !info.subresource().isEmpty()) {
            throw ApiException.methodNotAllowed(info.verb() + " is not supported on resources of kind \"" + def.kind() + "\"");
        }
        ObjectNode in = Bodies.decode(req, def).object();
        String kind = Meta.str(in, "kind");
        if (!kind.isEmpty() && !kind.equals(def.kind())) {
            throw Bodies.cannotHandle(def.kind(), def.version(), "the object provided is unrecognized (must be of type " + def.kind() + ")");
        }
        ObjectNode out = Json.object();
        out.put("kind", def.kind());
        out.put("apiVersion", def.apiVersion());
        ObjectNode meta = in.get("metadata") instanceof ObjectNode m ? m.deepCopy() : Json.object();
        if (!meta.has("creationTimestamp")) meta.putNull("creationTimestamp");
        if (def.namespaced()) {
            String ns = Meta.str(meta, "namespace");
            if (!ns.isEmpty() && !ns.equals(info.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", info.namespace());
        }
        out.set("metadata", meta);
        out.set("spec", in.get("spec") instanceof ObjectNode s ? s : Json.object());
        out.putObject("status");
        evaluator.evaluate(out, info, user);
        return ResourceHandler.json(req, 201, out);
    }

    public static ApiException invalid(ResourceDef def, List<FieldError> errs) {
        return ApiException.invalid(def.group(), def.kind(), "", errs);
    }

    private static final Strategy NO_STORAGE = new Strategy() {
        @Override public List<FieldError> validate(ObjectNode obj) { return List.of(); }
        @Override public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return List.of(); }
        @Override public Map<String, String> selectableFields(ObjectNode obj) { return Map.of(); }
        @Override public List<String> fieldOrder() { return List.of("spec", "status"); }
        @Override public TableConvertor table() { return new TableConvertor(List.of(TableConvertor.name()), (o, now) -> List.of(Meta.name(o))); }
    };
}
