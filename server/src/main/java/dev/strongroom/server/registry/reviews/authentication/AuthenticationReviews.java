package dev.strongroom.server.registry.reviews.authentication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.AuthResult;
import dev.strongroom.server.authn.AuthenticatorChain;
import dev.strongroom.server.authn.Audiences;
import dev.strongroom.server.authn.Credentials;
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

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The create-only, never-stored {@code authentication.k8s.io/v1} reviews: TokenReview
 * ({@code pkg/registry/authentication/tokenreview}) and SelfSubjectReview ({@code kubectl auth whoami},
 * {@code pkg/registry/authentication/selfsubjectreview}). Both answer 201.
 */
public final class AuthenticationReviews {
    static final String GROUP = "authentication.k8s.io";

    private AuthenticationReviews() {}

    /**
     * @param chain the whole authentication stack (TokenReview runs a token through it as a fake request)
     */
    public static List<Endpoint> endpoints(Supplier<AuthenticatorChain> chain, List<String> apiAudiences, Clock clock) {
        return List.of(new TokenReviews(chain, apiAudiences), new SelfSubjectReviews(clock));
    }

    /** Common request handling: verb, body decoding and type checks. */
    abstract static class Review implements Endpoint {
        private final ResourceDef def;

        Review(String kind, String plural) {
            this.def = new ResourceDef(GROUP, "v1", kind, plural, kind.toLowerCase(), false, List.of("create"), List.of(), NO_STORAGE);
        }

        @Override
        public ResourceDef def() { return def; }

        @Override
        public ApiResponse handle(ApiRequest req, RequestInfo info, UserInfo user) {
            if (!info.verb().equals("create") || !info.name().isEmpty() || !info.subresource().isEmpty()) {
                throw ApiException.methodNotAllowed(info.verb() + " is not supported on resources of kind \"" + def.kind() + "\"");
            }
            ObjectNode in = Bodies.decode(req, def).object();
            String kind = Meta.str(in, "kind"), apiVersion = Meta.str(in, "apiVersion");
            if (!kind.isEmpty() && !kind.equals(def.kind())) {
                throw Bodies.cannotHandle(def.kind(), def.version(), "the object provided is unrecognized (must be of type " + def.kind() + ")");
            }
            if (!apiVersion.isEmpty() && !apiVersion.equals(def.apiVersion())) {
                throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + def.apiVersion() + ")");
            }
            ObjectNode out = Json.object();
            out.put("kind", def.kind());
            out.put("apiVersion", def.apiVersion());
            ObjectNode meta = in.get("metadata") instanceof ObjectNode m ? m.deepCopy() : Json.object();
            if (!meta.has("creationTimestamp")) meta.putNull("creationTimestamp");
            out.set("metadata", meta);
            compute(in, out, user);
            return ResourceHandler.json(req, 201, out);
        }

        abstract void compute(ObjectNode in, ObjectNode out, UserInfo user);
    }

    /** TokenReview: is this token valid, for whom, for which audiences? Errors land in the status, not the HTTP code. */
    static final class TokenReviews extends Review {
        private final Supplier<AuthenticatorChain> chain;
        private final List<String> apiAudiences;

        TokenReviews(Supplier<AuthenticatorChain> chain, List<String> apiAudiences) {
            super("TokenReview", "tokenreviews");
            this.chain = chain;
            this.apiAudiences = List.copyOf(apiAudiences);
        }

        @Override
        void compute(ObjectNode in, ObjectNode out, UserInfo caller) {
            JsonNode spec = in.path("spec");
            String token = spec.path("token").isTextual() ? spec.get("token").asText() : "";
            if (token.isEmpty()) throw ApiException.badRequest("token is required for TokenReview in authentication");
            List<String> auds = new java.util.ArrayList<>();
            if (spec.path("audiences").isArray()) for (JsonNode a : spec.get("audiences")) auds.add(a.asText());
            ObjectNode outSpec = out.putObject("spec");
            outSpec.put("token", token);
            if (!auds.isEmpty()) {
                ArrayNode a = outSpec.putArray("audiences");
                auds.forEach(a::add);
            }
            List<String> requested = auds.isEmpty() ? apiAudiences : auds;
            AuthResult r = chain.get().authenticate(Credentials.bearer(token), requested);
            if (!requested.isEmpty() && r.authenticated() && Audiences.intersect(requested, r.audiences()).isEmpty()) {
                throw ApiException.internal("error validating audiences");
            }
            ObjectNode status = out.putObject("status");
            if (r.authenticated()) status.put("authenticated", true);
            ObjectNode u = status.putObject("user");
            if (r.authenticated()) {
                userInfo(u, r.user());
                if (!r.audiences().isEmpty()) {
                    ArrayNode a = status.putArray("audiences");
                    r.audiences().forEach(a::add);
                }
            }
            if (r.failed()) status.put("error", r.error());
        }
    }

    /** SelfSubjectReview: the requester's own user info (after impersonation). */
    static final class SelfSubjectReviews extends Review {
        private final Clock clock;

        SelfSubjectReviews(Clock clock) {
            super("SelfSubjectReview", "selfsubjectreviews");
            this.clock = clock;
        }

        @Override
        void compute(ObjectNode in, ObjectNode out, UserInfo user) {
            ObjectNode meta = Json.object();
            meta.put("creationTimestamp", Meta.time(clock.instant()));
            out.set("metadata", meta);
            ObjectNode u = out.putObject("status").putObject("userInfo");
            userInfo(u, user);
            // Upstream always sets a (possibly empty) extra map; empty maps are omitted in JSON (omitempty).
        }
    }

    /** {@code authentication/v1 UserInfo} with its omitempty fields; extra keys sorted as Go maps serialise. */
    static void userInfo(ObjectNode u, UserInfo user) {
        if (!user.name().isEmpty()) u.put("username", user.name());
        if (!user.uid().isEmpty()) u.put("uid", user.uid());
        if (!user.groups().isEmpty()) {
            ArrayNode g = u.putArray("groups");
            user.groups().forEach(g::add);
        }
        if (!user.extra().isEmpty()) {
            ObjectNode e = u.putObject("extra");
            for (Map.Entry<String, List<String>> x : new TreeMap<>(user.extra()).entrySet()) {
                ArrayNode v = e.putArray(x.getKey());
                x.getValue().forEach(v::add);
            }
        }
    }

    private static final Strategy NO_STORAGE = new Strategy() {
        @Override public List<FieldError> validate(ObjectNode obj) { return List.of(); }
        @Override public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return List.of(); }
        @Override public Map<String, String> selectableFields(ObjectNode obj) { return Map.of(); }
        @Override public List<String> fieldOrder() { return List.of("spec", "status"); }
        @Override public TableConvertor table() { return new TableConvertor(List.of(TableConvertor.name()), (o, now) -> List.of(Meta.name(o))); }
    };
}
