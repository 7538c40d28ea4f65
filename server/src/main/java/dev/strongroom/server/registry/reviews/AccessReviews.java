package dev.strongroom.server.registry.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;
import dev.strongroom.server.authz.Authorizer;
import dev.strongroom.server.authz.Decision;
import dev.strongroom.server.authz.rbac.PolicyCache;
import dev.strongroom.server.authz.rbac.PolicyRule;
import dev.strongroom.api.codec.GoFormat;
import dev.strongroom.server.request.RequestInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code authorization.k8s.io/v1} reviews: SelfSubjectAccessReview ({@code kubectl auth can-i}),
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview ({@code kubectl auth can-i --list}).
 */
public final class AccessReviews {
    public static final String GROUP = "authorization.k8s.io";

    private AccessReviews() {}

    public static List<ReviewEndpoint> endpoints(Authorizer authorizer, PolicyCache policy) {
        ReviewEndpoint[] holder = new ReviewEndpoint[4];
        holder[0] = new ReviewEndpoint(GROUP, "SelfSubjectAccessReview", "selfsubjectaccessreviews", false,
                (review, info, user) -> access(holder[0], review, user, authorizer, null));
        holder[1] = new ReviewEndpoint(GROUP, "SubjectAccessReview", "subjectaccessreviews", false,
                (review, info, user) -> access(holder[1], review, subject(holder[1], review.path("spec")), authorizer, null));
        holder[2] = new ReviewEndpoint(GROUP, "LocalSubjectAccessReview", "localsubjectaccessreviews", true,
                (review, info, user) -> access(holder[2], review, subject(holder[2], review.path("spec")), authorizer, info.namespace()));
        holder[3] = new ReviewEndpoint(GROUP, "SelfSubjectRulesReview", "selfsubjectrulesreviews", false,
                (review, info, user) -> rules(review, user, policy));
        return List.of(holder);
    }

    private static void access(ReviewEndpoint ep, ObjectNode review, UserInfo user, Authorizer authorizer, String requiredNamespace) {
        JsonNode spec = review.path("spec");
        JsonNode ra = spec.get("resourceAttributes"), nra = spec.get("nonResourceAttributes");
        boolean hasRa = ra != null && !ra.isNull(), hasNra = nra != null && !nra.isNull();
        List<FieldError> errs = new ArrayList<>();
        if (hasRa && hasNra) errs.add(FieldError.invalid("spec.nonResourceAttributes", new GoFormat.Raw("&authorization.NonResourceAttributes{Path:" + dev.strongroom.api.errors.GoQuote.quote(nra.path("path").asText("")) + ", Verb:" + dev.strongroom.api.errors.GoQuote.quote(nra.path("verb").asText("")) + "}"), "cannot be specified in combination with resourceAttributes"));
        if (!hasRa && !hasNra) errs.add(FieldError.invalid("spec.resourceAttributes", "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        if (requiredNamespace != null && hasRa && !ra.path("namespace").asText("").equals(requiredNamespace)) {
            errs.add(FieldError.invalid("spec.resourceAttributes.namespace", ra.path("namespace").asText(""), "must match metadata.namespace"));
        }
        if (!errs.isEmpty()) throw ReviewEndpoint.invalid(ep.def(), errs);
        Attributes a = hasRa
                ? new Attributes(user, ra.path("verb").asText(""), true, "", ra.path("group").asText(""), ra.path("version").asText(""),
                        ra.path("namespace").asText(""), ra.path("resource").asText(""), ra.path("subresource").asText(""), ra.path("name").asText(""))
                : new Attributes(user, nra.path("verb").asText(""), false, nra.path("path").asText(""), "", "", "", "", "", "");
        Decision d = authorizer.authorize(a);
        ObjectNode status = review.putObject("status");
        status.put("allowed", d.allowed());
        if (!d.reason().isEmpty()) status.put("reason", d.reason());
    }

    /** The user a (Local)SubjectAccessReview asks about, exactly as given (nothing is added). */
    private static UserInfo subject(ReviewEndpoint ep, JsonNode spec) {
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw ReviewEndpoint.invalid(ep.def(), List.of(FieldError.invalid("spec.user", "", "at least one of user or group must be specified")));
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.path("extra").fields().forEachRemaining(e -> {
            List<String> v = new ArrayList<>();
            e.getValue().forEach(x -> v.add(x.asText()));
            extra.put(e.getKey(), v);
        });
        return new UserInfo(user, spec.path("uid").asText(""), List.copyOf(groups), extra);
    }

    private static void rules(ObjectNode review, UserInfo user, PolicyCache policy) {
        String ns = review.path("spec").path("namespace").asText("");
        ArrayNode resourceRules = review.putObject("status").putArray("resourceRules");
        ObjectNode status = (ObjectNode) review.get("status");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule r : policy.policy().rulesFor(user, ns)) {
            if (!r.nonResourceURLs().isEmpty()) {
                ObjectNode o = nonResourceRules.addObject();
                r.verbs().forEach(o.putArray("verbs")::add);
                r.nonResourceURLs().forEach(o.putArray("nonResourceURLs")::add);
            } else {
                ObjectNode o = resourceRules.addObject();
                r.verbs().forEach(o.putArray("verbs")::add);
                r.apiGroups().forEach(o.putArray("apiGroups")::add);
                r.resources().forEach(o.putArray("resources")::add);
                if (!r.resourceNames().isEmpty()) r.resourceNames().forEach(o.putArray("resourceNames")::add);
            }
        }
        status.put("incomplete", false);
    }
}
