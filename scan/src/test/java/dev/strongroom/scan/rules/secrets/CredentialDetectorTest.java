package dev.strongroom.scan.rules.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialDetectorTest {
    private final CredentialDetector detector = new CredentialDetector(3.5);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "AWS access key ID|export KEY=AKIAZ7XQ3RWTN4VJ2K5M",
            "GitHub token|ghp_R8vXq2LmN4pT7wYz1aBcD3eFgH5iJkL6mN9o",
            "GitLab token|token: glpat-Xk3mP9qR2sT5vW8yZ1bC",
            "Slack token|xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "JSON Web Token|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "connection string with password|postgres://app:S3cr3tP4ss@db.shop.svc:5432/orders",
    })
    void knownFormatsAreFound(String detectorName, String text) {
        assertThat(detector.known(text)).extracting(CredentialDetector.Match::detector).contains(detectorName);
    }

    @Test
    void privateKeyBlocksAreFound() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n".repeat(2)
                + "-----END RSA PRIVATE KEY-----\n";
        assertThat(detector.known(pem)).extracting(CredentialDetector.Match::detector).containsExactly("private key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${DB_PASSWORD}", "$(DB_PASSWORD)", "$DB_PASSWORD", "{{ .Values.db.password }}", "<your-password>",
            "changeme-please-1234", "example-Password-9!x", "********"})
    void placeholdersAndStopwordsAreNotSecrets(String value) {
        assertThat(detector.generic("DB_PASSWORD", value)).isEmpty();
    }

    @Test
    void connectionStringWithPlaceholderPasswordIsNotReported() {
        assertThat(detector.known("postgres://app:${DB_PASSWORD}@db:5432/orders")).isEmpty();
    }

    @Test
    void aRandomValueUnderASecretNameIsFound() {
        assertThat(detector.generic("DB_PASSWORD", "q7R#vL2m!Xz9Wp4T")).isPresent();
        assertThat(detector.generic("API_KEY", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")).isPresent();
    }

    @Test
    void lowEntropyOrNonSecretNamesAreNot() {
        assertThat(detector.generic("DB_PASSWORD", "password")).isEmpty();       // too short and a word
        assertThat(detector.generic("LOG_LEVEL", "q7R#vL2m!Xz9Wp4T")).isEmpty(); // not a secret name
        assertThat(detector.generic("DB_PASSWORD_FILE", "/var/run/secrets/db/password")).isEmpty();
        assertThat(detector.generic("TOKEN_TTL", "3600s-8f7e6d5c4b3a")).isEmpty();
    }

    @Test
    void assignmentsInsideConfigFilesAreFound() {
        String properties = "spring.datasource.url=jdbc:postgresql://db/orders\nspring.datasource.password=Zq8#Lw2!Vr6$Nt4\n";
        assertThat(detector.generic("application.properties", properties)).get()
                .extracting(CredentialDetector.Match::value).isEqualTo("Zq8#Lw2!Vr6$Nt4");
    }

    @Test
    void podTemplateAnnotationsAreScannedToo() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    metadata:
                      annotations:
                        ci.example.com/token: glpat-Xk3mP9qR2sT5vW8yZ1bC
                    spec:
                      containers: [{name: web, image: "registry.example.com/web:1.0"}]
                """;
        var findings = dev.strongroom.scan.TestScans.of(dev.strongroom.scan.TestScans.scan(yaml), "SR-SEC-002");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("GitLab token in pod template annotation ci.example.com/token: glpa… (26 chars)");
            assertThat(f.position().line()).isEqualTo(8);
        });
    }

    @Test
    void redactionShowsFourCharactersAndTheLengthOnly() {
        assertThat(Redaction.redact("AKIAZ7XQ3RWTN4VJ2K5M")).isEqualTo("AKIA… (20 chars)");
        assertThat(Redaction.redact("short")).isEqualTo("… (5 chars)");
    }
}
