package dev.strongroom.server.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** RBAC through the API: grants, refusals with upstream's messages, escalation prevention, impersonation, reviews. */
class RbacTest {
    static TestServer s;
    static Path tokens;
    static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

    @BeforeAll
    static void start() throws Exception {
        tokens = Files.createTempFile("tokens", ".csv");
        Files.writeString(tokens, "alice-token,alice,uid-alice,\"developers\"\nbob-token,bob,uid-bob\n");
        s = TestServer.start(tokens);
        s.post(RBAC + "/namespaces/default/roles", "{\"metadata\":{\"name\":\"secret-reader\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"watch\",\"list\"]}]}");
        s.post(RBAC + "/namespaces/default/rolebindings", "{\"metadata\":{\"name\":\"read-secrets\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\",\"apiGroup\":\"rbac.authorization.k8s.io\"}],\"roleRef\":{\"kind\":\"Role\",\"name\":\"secret-reader\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}");
        s.post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"s1\"},\"stringData\":{\"a\":\"b\"}}");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        Files.deleteIfExists(tokens);
    }

    static TestServer.Response as(String token, String method, String path, String body) throws Exception {
        return s.request(method, path, body == null ? null : "application/json", body == null ? null : body.getBytes(StandardCharsets.UTF_8), token);
    }

    @Test
    void boundRoleAllowsExactlyItsRules() throws Exception {
        assertThat(as("alice-token", "GET", "/api/v1/namespaces/default/secrets/s1", null).status()).isEqualTo(200);
        assertThat(as("alice-token", "GET", "/api/v1/namespaces/default/secrets", null).status()).isEqualTo(200);
        var create = as("alice-token", "POST", "/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"}}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().path("message").asText()).isEqualTo("secrets is forbidden: User \"alice\" cannot create resource \"secrets\" in API group \"\" in the namespace \"default\"");
        var other = as("alice-token", "GET", "/api/v1/namespaces/kube-system/secrets", null);
        assertThat(other.json().path("message").asText()).isEqualTo("secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"");
        assertThat(as("bob-token", "GET", "/api/v1/namespaces/default/secrets/s1", null).status()).isEqualTo(403);
    }

    @Test
    void newUserCanDoDiscoveryAndSelfReviewsOnly() throws Exception {
        assertThat(as("bob-token", "GET", "/api", null).status()).isEqualTo(200);
        assertThat(as("bob-token", "GET", "/apis/rbac.authorization.k8s.io/v1", null).status()).isEqualTo(200);
        var ssar = as("bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "{\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"secrets\"}}}");
        assertThat(ssar.status()).isEqualTo(201);
        assertThat(ssar.json().path("status").path("allowed").asBoolean()).isFalse();
        assertThat(as("bob-token", "GET", "/api/v1/namespaces", null).status()).isEqualTo(403);
        var path = as("bob-token", "GET", "/metrics", null);
        assertThat(path.json().path("message").asText()).isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
    }

    @Test
    void selfSubjectAccessReviewExplainsTheGrant() throws Exception {
        var r = as("alice-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"list\",\"resource\":\"secrets\"}}}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("status").path("allowed").asBoolean()).isTrue();
        assertThat(r.json().path("status").path("reason").asText())
                .isEqualTo("RBAC: allowed by RoleBinding \"read-secrets/default\" of Role \"secret-reader\" to User \"alice\"");
        var bad = as("alice-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "{\"spec\":{}}");
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void rulesReviewListsTheUsersRules() throws Exception {
        var r = as("alice-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "{\"spec\":{\"namespace\":\"default\"}}");
        JsonNode status = r.json().path("status");
        assertThat(status.path("resourceRules").toString()).contains("\"secrets\"").contains("selfsubjectaccessreviews");
        assertThat(status.path("nonResourceRules").toString()).contains("/healthz");
    }

    @Test
    void roleGrantingMoreThanItsCreatorHoldsIsRefused() throws Exception {
        // alice may create roles in team-a, but holds no secret permissions there.
        s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team-a\"}}");
        s.post(RBAC + "/namespaces/team-a/roles", "{\"metadata\":{\"name\":\"role-writer\"},\"rules\":[{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"roles\",\"rolebindings\"],\"verbs\":[\"create\"]}]}");
        s.post(RBAC + "/namespaces/team-a/rolebindings", "{\"metadata\":{\"name\":\"alice-writes-roles\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}],\"roleRef\":{\"kind\":\"Role\",\"name\":\"role-writer\"}}");
        var r = as("alice-token", "POST", RBAC + "/namespaces/team-a/roles",
                "{\"metadata\":{\"name\":\"grab\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"delete\"]}]}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("message").asText()).isEqualTo("roles.rbac.authorization.k8s.io \"grab\" is forbidden: user \"alice\" (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\"]}");
        assertThat(s.get(RBAC + "/namespaces/team-a/roles/grab").status()).isEqualTo(404);
        // A role within what alice holds is fine.
        var ok = as("alice-token", "POST", RBAC + "/namespaces/team-a/roles",
                "{\"metadata\":{\"name\":\"fine\"},\"rules\":[{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"roles\"],\"verbs\":[\"create\"]}]}");
        assertThat(ok.status()).isEqualTo(201);
    }

    @Test
    void bindingClusterAdminWithoutBindIsRefused() throws Exception {
        s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team-b\"}}");
        s.post(RBAC + "/namespaces/team-b/roles", "{\"metadata\":{\"name\":\"binder\"},\"rules\":[{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"rolebindings\"],\"verbs\":[\"create\"]}]}");
        s.post(RBAC + "/namespaces/team-b/rolebindings", "{\"metadata\":{\"name\":\"alice-binds\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}],\"roleRef\":{\"kind\":\"Role\",\"name\":\"binder\"}}");
        String body = "{\"metadata\":{\"name\":\"alice-admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}],\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"}}";
        var r = as("alice-token", "POST", RBAC + "/namespaces/team-b/rolebindings", body);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("message").asText()).startsWith("rolebindings.rbac.authorization.k8s.io \"alice-admin\" is forbidden: user \"alice\" (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n");
        // With the bind verb on cluster-admin, the same binding is allowed.
        s.post(RBAC + "/namespaces/team-b/roles", "{\"metadata\":{\"name\":\"may-bind-admin\"},\"rules\":[{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"clusterroles\"],\"verbs\":[\"bind\"],\"resourceNames\":[\"cluster-admin\"]}]}");
        s.post(RBAC + "/namespaces/team-b/rolebindings", "{\"metadata\":{\"name\":\"alice-may-bind\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}],\"roleRef\":{\"kind\":\"Role\",\"name\":\"may-bind-admin\"}}");
        assertThat(as("alice-token", "POST", RBAC + "/namespaces/team-b/rolebindings", body).status()).isEqualTo(201);
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() throws Exception {
        var req = HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/namespaces/default/secrets"))
                .header("Authorization", "Bearer alice-token").header("Impersonate-User", "bob").build();
        var r = s.http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("users \\\"bob\\\" is forbidden: User \\\"alice\\\" cannot impersonate resource \\\"users\\\" in API group \\\"\\\" at the cluster scope");
        // The admin may impersonate alice and then has exactly alice's permissions.
        var asAlice = HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/namespaces/kube-system/secrets"))
                .header("Authorization", "Bearer " + s.adminToken).header("Impersonate-User", "alice").build();
        var denied = s.http.send(asAlice, HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("User \\\"alice\\\" cannot list resource \\\"secrets\\\"");
    }

    @Test
    void aggregatedRolesAreFilledAndViewExcludesSecrets() throws Exception {
        JsonNode view = s.get(RBAC + "/clusterroles/view").json();
        assertThat(view.path("rules").toString()).contains("configmaps").doesNotContain("\"secrets\"");
        JsonNode edit = s.get(RBAC + "/clusterroles/edit").json();
        assertThat(edit.path("rules").toString()).contains("\"secrets\"").contains("configmaps");
        JsonNode admin = s.get(RBAC + "/clusterroles/admin").json();
        assertThat(admin.path("rules").toString()).contains("rolebindings").contains("\"secrets\"");
    }

    @Test
    void invalidRoleAndBindingGetUpstreamMessages() throws Exception {
        var r = s.post(RBAC + "/namespaces/default/roles", "{\"metadata\":{\"name\":\"bad\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"]}]}");
        assertThat(r.json().path("message").asText()).isEqualTo("Role.rbac.authorization.k8s.io \"bad\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value");
        var b = s.post(RBAC + "/namespaces/default/rolebindings", "{\"metadata\":{\"name\":\"bad\"},\"subjects\":[{\"kind\":\"Robot\",\"name\":\"r2\"}],\"roleRef\":{\"kind\":\"Role\",\"name\":\"x\"}}");
        assertThat(b.json().path("message").asText()).isEqualTo("RoleBinding.rbac.authorization.k8s.io \"bad\" is invalid: subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"");
        var change = s.patch(RBAC + "/namespaces/default/rolebindings/read-secrets", "application/merge-patch+json", "{\"roleRef\":{\"name\":\"other\"}}");
        assertThat(change.json().path("message").asText()).contains("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef");
    }
}
