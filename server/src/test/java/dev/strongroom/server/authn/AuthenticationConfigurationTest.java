package dev.strongroom.server.authn;

import dev.strongroom.server.authn.oidc.AuthenticationConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading {@code --authentication-config}: upstream's strict decoding and validation messages. */
class AuthenticationConfigurationTest {
    @TempDir
    Path tmp;

    private AuthenticationConfiguration load(String jwtYaml) throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n" + jwtYaml);
        return AuthenticationConfiguration.load(f, List.of("https://sa.example"));
    }

    private void assertRejected(String jwtYaml, String message) {
        assertThatThrownBy(() -> load(jwtYaml)).isInstanceOf(AuthenticationConfiguration.ConfigException.class).hasMessage(message);
    }

    @Test
    void minimalConfig() throws Exception {
        AuthenticationConfiguration c = load("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """);
        assertThat(c.jwt()).hasSize(1);
        assertThat(c.jwt().get(0).claimMappings().username().prefix()).isEmpty();
        assertThat(c.jwt().get(0).claimMappings().groups().prefix()).isNull();
    }

    @Test
    void prefixIsRequiredWithAClaim() {
        assertRejected("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings: {username: {claim: sub}, groups: {claim: groups}}
                """, "[jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing, "
                + "jwt[0].claimMappings.groups.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing]");
    }

    @Test
    void issuerUrlRules() {
        assertRejected("""
                jwt:
                - issuer: {url: "http://idp.example?x=1", audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "[jwt[0].issuer.url: Invalid value: \"http://idp.example?x=1\": URL scheme must be https, "
                + "jwt[0].issuer.url: Invalid value: \"http://idp.example?x=1\": URL must not contain a query]");
        assertRejected("""
                jwt:
                - issuer: {url: "https://sa.example", audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "jwt[0].issuer.url: Invalid value: \"https://sa.example\": URL must not overlap with disallowed issuers: [https://sa.example]");
        assertRejected("""
                jwt:
                - issuer: {audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "jwt[0].issuer.url: Required value");
    }

    @Test
    void duplicateIssuers() {
        assertRejected("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "jwt[1].issuer.url: Duplicate value: \"https://idp.example\"");
    }

    @Test
    void audiences() {
        assertRejected("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a, b]}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "jwt[0].issuer.audienceMatchPolicy: Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences");
        assertRejected("""
                jwt:
                - issuer: {url: "https://idp.example"}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required");
    }

    @Test
    void celExpressionsAreRefusedClearly() {
        assertThatThrownBy(() -> load("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings: {username: {expression: "claims.sub"}}
                """)).hasMessage("jwt[0].claimMappings.username.expression: Invalid value: \"claims.sub\": "
                + "CEL expressions are not supported yet by Strongroom; use claim (with prefix) mappings and claim/requiredValue rules");
        assertThatThrownBy(() -> load("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimValidationRules: [{expression: "claims.hd == 'x'"}]
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """)).hasMessageContaining("jwt[0].claimValidationRules[0].expression").hasMessageContaining("CEL expressions are not supported yet");
    }

    @Test
    void reservedExtraKeys() {
        assertThatThrownBy(() -> load("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a]}
                  claimMappings:
                    username: {claim: sub, prefix: ""}
                    extra: [{key: "kubernetes.io/team", valueExpression: "claims.team"}]
                """)).hasMessageContaining("jwt[0].claimMappings.extra[0].key: Invalid value: \"kubernetes.io/team\": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use");
    }

    @Test
    void unknownFieldsAndKinds() {
        assertRejected("""
                jwt:
                - issuer: {url: "https://idp.example", audiences: [a], colour: blue}
                  claimMappings: {username: {claim: sub, prefix: ""}}
                """, "strict decoding error: unknown field \"jwt[0].issuer.colour\"");
        assertThatThrownBy(() -> {
            Path f = tmp.resolve("k.yaml");
            Files.writeString(f, "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\n");
            AuthenticationConfiguration.load(f, List.of());
        }).hasMessage("no kind \"AuthorizationConfiguration\" is registered for version \"apiserver.config.k8s.io/v1\" in scheme");
    }
}
