package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.server.authn.AuthenticationOptions;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.init.Pki;
import org.assertj.core.api.SoftAssertions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3, "Must show", first bullet: the seed {@code secret-reader} Role bound in turn to a certificate user, an
 * OIDC user and a service account with a TokenRequest token; each may read secrets in {@code default} and is refused
 * writes and other namespaces with upstream's messages; and the {@code kubectl auth can-i} matrix of the reference
 * transcripts 36–50 (51–55 for service accounts), run with one real kubectl against a fresh server.
 *
 * <p>The server is set up like the reference cluster: the admin is the static-token user {@code admin}
 * ({@code system:masters}, UID {@code uid-admin}); the secrets of the reference session exist in {@code default}
 * (47 lists them); the service-account issuer is {@code https://kubernetes.default.svc.cluster.local}. Three
 * identities then log in, each the way it would in production:
 * <ul>
 *   <li><b>certificate</b>: {@code alice} (O {@code developers}, UID {@code uid-alice} in the subject attribute
 *       Strongroom reads UIDs from), a client certificate of the data directory's CA given as
 *       {@code --client-ca-file}; she is the kubeconfig context {@code anchor-alice} of the transcripts, so 43–50
 *       run with their own command lines;</li>
 *   <li><b>OIDC</b>: an ID token from a real HTTPS issuer on loopback ({@link OidcIssuer}) configured through
 *       {@code --authentication-config} with the {@code oidc:} prefix, given to kubectl as {@code --token};</li>
 *   <li><b>service account</b>: {@code demo-sa} of 51, with a token from {@code kubectl create token
 *       --audience=strongroom} ({@code strongroom} is one of the server's API audiences).</li>
 * </ul>
 * Token users run kubectl the way transcript 55 does: {@code --server --certificate-authority=./pki/ca.crt --token
 * --kubeconfig=/dev/null}.
 *
 * <p>Comparisons are exact after {@link Normalize}. Differences accepted, each because of the reference run rather
 * than the server, and asserted in their own right instead of ignored:
 * <ul>
 *   <li>{@code auth whoami} of a certificate or service-account user has an {@code Extra:
 *       authentication.kubernetes.io/credential-id} row ({@code X509SHA256=} / {@code JTI=}), which upstream added
 *       after 1.28 (the reference's alice was a static-token user, its server 1.28.7); the value is checked against
 *       the certificate / the token, and kubectl's tabwriter re-pads the table, so tables are compared cell by cell;</li>
 *   <li>service-account tokens carry {@code jti} (upstream since 1.29), checked to be a UUID and equal to the
 *       credential ID;</li>
 *   <li>{@code kubectl create token default} (54) succeeds: the reference ran without kube-controller-manager, so
 *       its {@code default} ServiceAccount did not exist; issue 3 requires one in every namespace;</li>
 *   <li>alice's {@code can-i --list} row for secrets merges two bindings' verbs in an order upstream leaves to
 *       chance ({@link Normalize#ruleVerbs}); the OIDC user, bound once, is compared exactly;</li>
 *   <li>kubectl 1.27's {@code auth whoami} only knows SelfSubjectReview v1beta1, which kube-apiserver 1.28+ does not
 *       serve by default: it gets upstream's "not enabled" error ({@link #WHOAMI_WITHOUT_V1}).</li>
 * </ul>
 *
 * <p>One concrete subclass per kubectl version ({@code AccessControlKubectl1NNTest}, kept complete by
 * {@link EveryKubectlVersionIsTestedTest}); within a version the methods share one server and run in order, as
 * the reference session did. Nothing sleeps: every step is one kubectl run that has finished.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AccessControlCompatibility {
    static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String OIDC_AUDIENCE = "strongroom";
    static final String ADMIN_TOKEN = "admin-e2e-token-7c1d93f0b2";
    static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * The reference's rbac.yaml (36, not recorded): the seed Role (get, list and watch secrets in default) and
     * alice's binding. The verbs are in the order of the Kubernetes documentation's secret-reader (and
     * docs/rbac.md), {@code get, watch, list}, not the seed document's {@code get, list, watch}: 43 shows it, since
     * kubectl prints a lone rule's verbs in the Role's order ({@code [get watch list]}).
     */
    static final String RBAC_YAML = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              namespace: default
              name: secret-reader
            rules:
              - apiGroups: [""]
                resources: ["secrets"]
                verbs: ["get", "watch", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: read-secrets
              namespace: default
            subjects:
            - kind: User
              name: alice
              apiGroup: rbac.authorization.k8s.io
            roleRef:
              kind: Role
              name: secret-reader
              apiGroup: rbac.authorization.k8s.io
            """;

    /**
     * The secrets in default when the reference ran 46 and 47: names, types and key counts as 47 lists them;
     * my-secret exactly as 46 prints it.
     */
    static final String REFERENCE_SECRETS = """
            apiVersion: v1
            kind: Secret
            metadata: {name: db-user-pass}
            type: Opaque
            stringData: {username.txt: admin, password.txt: t0p-Secret}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: immutable-secret}
            type: Opaque
            immutable: true
            stringData: {key: value}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: my-registry-secret}
            type: kubernetes.io/dockerconfigjson
            stringData: {.dockerconfigjson: '{"auths":{"registry.example.com":{"username":"u","password":"p","auth":"dTpw"}}}'}
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: my-secret
              labels: {env: dev}
              annotations: {note: hello}
            type: Opaque
            data: {extra: dmFsdWU=, password: bXlwYXNzd29yZA==, username: bXl1c2Vy}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: my-tls-secret}
            type: kubernetes.io/tls
            stringData: {tls.crt: cert, tls.key: key}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: mysecret-applied}
            type: Opaque
            stringData: {username: admin, password: 1f2d1e2e67df}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tls-secret}
            type: Opaque
            stringData: {tls.crt: cert, tls.key: key}
            """;

    private final String version;
    private Path root;
    private OidcIssuer issuer;
    private TestServer server;
    private Kubectl kubectl;
    private Pki.Issued aliceCertificate;
    private String demoSaUid;

    AccessControlCompatibility(String version) {
        this.version = version;
    }

    String version() { return version; }

    /** Who runs a command and how kubectl logs in as them. */
    private record Identity(String kind, String user, List<String> login) {}

    // ---------------------------------------------------------------------------------------------------- set-up

    @BeforeAll
    void start() throws IOException {
        root = Files.createTempDirectory("strongroom-e2e-rbac-" + version + "-");
        issuer = OidcIssuer.start();
        Path authn = root.resolve("authentication-config.yaml");
        Files.writeString(authn, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AuthenticationConfiguration
                jwt:
                - issuer:
                    url: %s
                    certificateAuthority: "%s"
                    audiences: [%s]
                  claimMappings:
                    username: {claim: email, prefix: "oidc:"}
                    groups: {claim: groups, prefix: "oidc:"}
                    uid: {claim: sub}
                """.formatted(issuer.url(), issuer.caPem().replace("\n", "\\n"), OIDC_AUDIENCE));
        Path tokens = root.resolve("tokens.csv");
        Files.writeString(tokens, ADMIN_TOKEN + ",admin,uid-admin,\"system:masters\"\n");

        // The client CA is the data directory's own CA, created before the server's first start.
        DataDirectory data = new DataDirectory(root.resolve("data"));
        data.ensureExists();
        Pki.Issued ca = data.loadOrCreateCa();
        aliceCertificate = Pki.issue(ca, "CN=alice,O=developers,1.3.6.1.4.1.57683.2=uid-alice", List.of(),
                List.of(KeyPurposeId.id_kp_clientAuth), Duration.ofHours(1));

        server = TestServer.start(root, o -> o.withTokenAuthFile(tokens).withClientCaFile(data.caCert())
                .withAuthentication(AuthenticationOptions.defaults().withAuthenticationConfig(authn)
                        .withServiceAccountIssuers(List.of(SA_ISSUER))
                        .withApiAudiences(List.of(SA_ISSUER, OIDC_AUDIENCE))));

        Path work = root.resolve("work");
        Files.createDirectories(work.resolve("pki"));
        Files.copy(data.caCert(), work.resolve("pki").resolve("ca.crt"));
        Files.writeString(work.resolve("rbac.yaml"), RBAC_YAML);
        Files.writeString(work.resolve("reference-secrets.yaml"), REFERENCE_SECRETS);
        kubectl = new Kubectl(version, writeKubeconfig(data.caCert()), root.resolve("clients").resolve("home-" + version), work);
        succeed("create", "-f", "reference-secrets.yaml");
    }

    /** admin (static token, current context) and alice (client certificate, context anchor-alice), as in the reference. */
    private Path writeKubeconfig(Path caCert) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: anchor
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                - name: alice
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: anchor-admin
                  context: {cluster: anchor, user: admin, namespace: default}
                - name: anchor-alice
                  context: {cluster: anchor, user: alice, namespace: default}
                current-context: anchor-admin
                """.formatted(server.server().url(), b64.encodeToString(Files.readAllBytes(caCert)), ADMIN_TOKEN,
                b64.encodeToString(Pki.pem(aliceCertificate.certificate()).getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString(Pki.pem(aliceCertificate.key()).getBytes(StandardCharsets.UTF_8)));
        Path file = Files.createDirectories(root.resolve("clients")).resolve("rbac.kubeconfig");
        Files.writeString(file, kubeconfig);
        return file;
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) server.close();
        if (issuer != null) issuer.close();
        Fixtures.deleteTree(root);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private Kubectl.Result kubectl(List<String> args) {
        return kubectl.run(args, null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
    }

    private Kubectl.Result succeed(String... args) {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.exitCode()).as("kubectl %s\n%s", version, r).isZero();
        return r;
    }

    /** Runs the transcript's own command line and compares its output after {@code normalize}. */
    private void runTranscript(String name, UnaryOperator<String> normalize) {
        Transcript t = Transcript.load(name);
        Kubectl.Result r = kubectl(t.kubectlArgs());
        SoftAssertions soft = new SoftAssertions();
        compare(soft, t.name() + " (" + t.command() + ")", t.output(), t.exitCode(), r, normalize);
        soft.assertAll();
    }

    private void runTranscript(String name) {
        runTranscript(name, s -> s);
    }

    private void compare(SoftAssertions soft, String what, String expectedOutput, int expectedExit, Kubectl.Result r,
                         UnaryOperator<String> normalize) {
        soft.assertThat(normalize.apply(Normalize.trailing(r.combined())))
                .as("%s with kubectl %s (normalised; expected is the reference transcript)\n%s", what, version, r)
                .isEqualTo(normalize.apply(Normalize.trailing(expectedOutput)));
        soft.assertThat(r.exitCode()).as("%s with kubectl %s: exit code\n%s", what, version, r).isEqualTo(expectedExit);
    }

    /** How a token user logs in: transcript 55's flags, with the server's CA copied to ./pki/ca.crt. */
    private List<String> tokenLogin(String token) {
        return List.of("--server=" + server.server().url(), "--certificate-authority=./pki/ca.crt", "--token=" + token,
                "--kubeconfig=/dev/null");
    }

    private static final List<String> ANCHOR_ALICE = List.of("--context", "anchor-alice");

    private Identity certificateUser() {
        return new Identity("certificate user", "alice", ANCHOR_ALICE);
    }

    /**
     * Transcript {@code name} (run by alice, {@code --context anchor-alice}) run by {@code who} instead: the same
     * command after the identity's login flags, the same output with alice's user name replaced by theirs.
     */
    private void runAs(SoftAssertions soft, Identity who, String name, UnaryOperator<String> normalize) {
        Transcript t = Transcript.load(name);
        List<String> args = t.kubectlArgs();
        assertThat(args.subList(0, 2)).as(name).isEqualTo(ANCHOR_ALICE);
        List<String> mine = new ArrayList<>(who.login());
        mine.addAll(args.subList(2, args.size()));
        Kubectl.Result r = kubectl(mine);
        String expected = t.output().replace("User \"alice\"", "User \"" + who.user() + "\"");
        compare(soft, name + " as the " + who.kind() + " " + who.user(), expected, t.exitCode(), r, normalize);
    }

    /**
     * 46–50 as {@code who}: reads in default allowed (46 the object, 47 the list), create, delete and another
     * namespace refused with upstream's words.
     */
    private void readsAllowedWritesAndOtherNamespacesRefused(Identity who) {
        SoftAssertions soft = new SoftAssertions();
        runAs(soft, who, "46-alice-get-secret.txt", Normalize::object);
        runAs(soft, who, "47-alice-list.txt", Normalize::table);
        runAs(soft, who, "48-alice-create-forbidden.txt", s -> s);
        runAs(soft, who, "49-alice-delete-forbidden.txt", s -> s);
        runAs(soft, who, "50-alice-other-ns-forbidden.txt", s -> s);
        soft.assertAll();
        // The refused create and delete changed nothing.
        assertThat(succeed("get", "secret", "alice-secret", "--ignore-not-found", "-o", "name").stdout()).isEmpty();
        assertThat(succeed("get", "secret", "my-secret", "-o", "name").stdout()).isEqualTo("secret/my-secret\n");
    }

    /**
     * 38–42 asked by {@code who} about themselves (no {@code --as}): the same answers; and 43's rule list, compared
     * after {@code listNormalize}, unless that is null (a service account also holds the issuer-discovery rules, so
     * its list is not 43's).
     */
    private void canIMatrix(Identity who, UnaryOperator<String> listNormalize) {
        SoftAssertions soft = new SoftAssertions();
        for (String name : List.of("38-can-i-get-as-alice.txt", "39-can-i-list-as-alice.txt", "40-can-i-create-as-alice.txt",
                "41-can-i-delete-as-alice.txt", "42-can-i-get-other-ns-as-alice.txt")) {
            Transcript t = Transcript.load(name);
            List<String> args = new ArrayList<>(t.kubectlArgs());
            int as = args.indexOf("--as");
            assertThat(args.get(as + 1)).as(name).isEqualTo("alice");
            args.subList(as, as + 2).clear();
            List<String> mine = new ArrayList<>(who.login());
            mine.addAll(args);
            compare(soft, name + " asked by the " + who.kind() + " " + who.user() + " itself", t.output(), t.exitCode(), kubectl(mine), s -> s);
        }
        if (listNormalize != null) runAs(soft, who, "43-can-i-list-alice-own.txt", listNormalize);
        soft.assertAll();
    }

    /**
     * What kubectl 1.27 prints for {@code auth whoami} against a 1.28+ kube-apiserver with default settings: 1.27
     * asks only for SelfSubjectReview v1beta1 (then v1alpha1), and upstream serves neither by default since v1
     * went GA in 1.28 ({@code authentication.k8s.io/v1beta1} is in {@code betaAPIGroupVersionsDisabledByDefault}).
     */
    static final String WHOAMI_WITHOUT_V1 = """
            error: the selfsubjectreviews API is not enabled in the cluster
            enable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API
            """;

    /**
     * {@code kubectl auth whoami} printed {@code expected} after {@code normalize} (kubectl 1.28+), or upstream's
     * answer to a client that only knows the beta API (1.27).
     */
    private void assertWhoami(SoftAssertions soft, String what, Kubectl.Result r, UnaryOperator<String> normalize, String expected) {
        if (kubectl.minor() < 28) {
            soft.assertThat(r.combined()).as("%s with kubectl %s\n%s", what, version, r).isEqualTo(WHOAMI_WITHOUT_V1);
            soft.assertThat(r.exitCode()).as("%s with kubectl %s: exit code\n%s", what, version, r).isEqualTo(1);
            return;
        }
        soft.assertThat(normalize.apply(Normalize.trailing(r.combined()))).as("%s with kubectl %s\n%s", what, version, r)
                .isEqualTo(normalize.apply(Normalize.trailing(expected)));
        soft.assertThat(r.exitCode()).as("%s with kubectl %s: exit code\n%s", what, version, r).isZero();
    }

    /** kubectl's whoami table, cell by cell, expected rows first. */
    private static String whoamiRows(String transcriptTable, String extraKey, String extraValue) {
        String rows = Normalize.table(Normalize.trailing(transcriptTable));
        return extraKey == null ? rows : rows + "\nExtra: " + extraKey + " | [" + extraValue + "]";
    }

    private static JsonNode jwtPart(String jwt, int part) {
        String[] parts = jwt.strip().split("\\.");
        assertThat(parts).as("a JWT has three parts: %s", jwt).hasSize(3);
        try {
            return ServerAccess.JSON.readTree(Base64.getUrlDecoder().decode(parts[part]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jwtPayloadText(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.strip().split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /**
     * A service-account token's claims as text, with what belongs to the run replaced: the times (checked here:
     * {@code iat} now, {@code nbf = iat}, {@code exp = iat + lifetime}), the ServiceAccount's UID (checked to be the
     * live object's) and {@code jti} (checked to be a UUID; upstream ≥ 1.29, absent from the 1.28 reference).
     */
    private static String claimsShape(String payload, String expectedUid, long lifetime, boolean reference) {
        JsonNode c;
        try {
            c = ServerAccess.JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long iat = c.path("iat").asLong();
        if (!reference) {
            assertThat(iat).as("iat of %s", payload).isBetween(Instant.now().getEpochSecond() - 120, Instant.now().getEpochSecond() + 5);
            assertThat(c.path("jti").asText()).as("jti of %s", payload).matches(UUID);
            assertThat(c.path("kubernetes.io").path("serviceaccount").path("uid").asText()).isEqualTo(expectedUid);
        }
        assertThat(c.path("nbf").asLong()).as("nbf of %s", payload).isEqualTo(iat);
        assertThat(c.path("exp").asLong() - iat).as("exp - iat of %s", payload).isEqualTo(lifetime);
        return payload.replaceAll("\"(exp|iat|nbf)\":\\d+", "\"$1\":<$1>")
                .replaceAll("\"jti\":\"" + UUID.pattern() + "\",", "")
                .replaceAll("\"uid\":\"" + UUID.pattern() + "\"", "\"uid\":\"<sa-uid>\"");
    }

    // -------------------------------------------------------------------------------- 36–45: RBAC and can-i as alice

    @Test
    @Order(36)
    void t36_applyTheSeedRoleAndAlicesBinding() {
        runTranscript("36-rbac-apply.txt");
    }

    @Test
    @Order(37)
    void t37_imperativeRoleAndBinding() {
        // The reference chained two commands with &&: each is run, their outputs follow each other.
        Transcript t = Transcript.load("37-rbac-create-role-imperative.txt");
        StringBuilder out = new StringBuilder();
        int exit = 0;
        for (String command : t.command().split(" && ")) {
            List<String> words = Transcript.shellWords(command);
            assertThat(words.getFirst()).isEqualTo("kubectl");
            Kubectl.Result r = kubectl(words.subList(1, words.size()));
            out.append(r.combined());
            exit = r.exitCode();
            if (exit != 0) break;
        }
        assertThat(Normalize.trailing(out.toString())).as("37 with kubectl %s", version).isEqualTo(Normalize.trailing(t.output()));
        assertThat(exit).isEqualTo(t.exitCode());
    }

    @Test
    @Order(38)
    void t38_canIGetAsAlice() { runTranscript("38-can-i-get-as-alice.txt"); }

    @Test
    @Order(39)
    void t39_canIListAsAlice() { runTranscript("39-can-i-list-as-alice.txt"); }

    @Test
    @Order(40)
    void t40_canICreateAsAlice() { runTranscript("40-can-i-create-as-alice.txt"); }

    @Test
    @Order(41)
    void t41_canIDeleteAsAlice() { runTranscript("41-can-i-delete-as-alice.txt"); }

    @Test
    @Order(42)
    void t42_canIGetInKubeSystemAsAlice() { runTranscript("42-can-i-get-other-ns-as-alice.txt"); }

    @Test
    @Order(43)
    void t43_canIListAsTheCertificateUser() { runTranscript("43-can-i-list-alice-own.txt", Normalize::ruleVerbs); }

    @Test
    @Order(44)
    void t44_whoamiAsTheCertificateUser() throws GeneralSecurityException {
        Transcript t = Transcript.load("44-whoami-alice.txt");
        Kubectl.Result r = kubectl(t.kubectlArgs());
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(aliceCertificate.certificate().getEncoded()));
        SoftAssertions soft = new SoftAssertions();
        assertWhoami(soft, "44", r, Normalize::table, whoamiRows(t.output(), CREDENTIAL_ID, "X509SHA256=" + fingerprint));
        soft.assertAll();
        assertThat(t.exitCode()).isZero();
    }

    @Test
    @Order(45)
    void t45_whoamiAsAdmin() {
        Transcript t = Transcript.load("45-whoami-admin.txt");
        SoftAssertions soft = new SoftAssertions();
        assertWhoami(soft, "45", kubectl(t.kubectlArgs()), s -> s, t.output());
        soft.assertAll();
    }

    // ------------------------------------------------------------------- 46–50: the certificate user reads, is refused

    @Test
    @Order(46)
    void t46_to_t50_certificateUserReadsButCannotWriteOrLeaveTheNamespace() {
        readsAllowedWritesAndOtherNamespacesRefused(certificateUser());
    }

    @Test
    @Order(47)
    void certificateUserCanIMatrix() {
        // alice is bound twice (read-secrets, alice-reader-imperative): see Normalize.ruleVerbs.
        canIMatrix(certificateUser(), Normalize::ruleVerbs);
    }

    // -------------------------------------------------------------------------------------------- the OIDC user

    private Identity oidcUser() {
        return new Identity("OIDC user", "oidc:alice@example.com",
                tokenLogin(issuer.idToken(OIDC_AUDIENCE, "alice-subject-1", "alice@example.com", List.of("developers"))));
    }

    @Test
    @Order(48)
    void oidcUserIsKnownButMayDoNothingBeforeTheBinding() {
        Identity who = oidcUser();
        List<String> args = new ArrayList<>(who.login());
        args.addAll(List.of("auth", "whoami"));
        SoftAssertions soft = new SoftAssertions();
        assertWhoami(soft, "whoami as the OIDC user", kubectl(args), s -> s, """
                ATTRIBUTE   VALUE
                Username    oidc:alice@example.com
                UID         alice-subject-1
                Groups      [oidc:developers system:authenticated]
                """);
        soft.assertAll();

        // 55's refusal, for this user: authenticated, but nothing is bound to oidc:alice@example.com yet.
        String refusal = Transcript.load("55-token-authenticate.txt").output().lines().toList().getLast()
                .replace("User \"system:serviceaccount:default:demo-sa\"", "User \"" + who.user() + "\"");
        List<String> get = new ArrayList<>(who.login());
        get.addAll(List.of("get", "secrets"));
        Kubectl.Result r = kubectl(get);
        assertThat(r.combined()).as("kubectl %s\n%s", version, r).isEqualTo(refusal + "\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    @Order(49)
    void oidcUserBoundToSecretReaderReadsButCannotWriteOrLeaveTheNamespace() {
        Kubectl.Result bind = succeed("create", "rolebinding", "oidc-alice-reads", "--role=secret-reader", "--user=oidc:alice@example.com");
        assertThat(bind.combined()).isEqualTo("rolebinding.rbac.authorization.k8s.io/oidc-alice-reads created\n");
        readsAllowedWritesAndOtherNamespacesRefused(oidcUser());
    }

    @Test
    @Order(50)
    void oidcUserCanIMatrix() {
        // One binding, so the row is the Role's own verbs in its own order: compared exactly.
        canIMatrix(oidcUser(), s -> s);
    }

    // --------------------------------------------------------------------------- 51–55: service accounts and tokens

    @Test
    @Order(51)
    void t51_createServiceAccount() {
        runTranscript("51-create-serviceaccount.txt");
        demoSaUid = succeed("get", "serviceaccount", "demo-sa", "-o", "jsonpath={.metadata.uid}").stdout();
        assertThat(demoSaUid).matches(UUID);
    }

    @Test
    @Order(52)
    void t52_createTokenForTheApiAudiences() {
        Transcript t = Transcript.load("52-create-token.txt");
        Kubectl.Result r = kubectl(t.kubectlArgs());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(t.exitCode());
        assertThat(r.stderr()).as("%s", r).isEmpty();
        // kubectl prints the token as it is, without a line break.
        assertThat(r.stdout()).as("one token").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        // Header: RS256 and the key ID, which is base64url(SHA-256(public key)) and published in the JWKS.
        JsonNode header = jwtPart(r.stdout(), 0);
        assertThat(header.toString().replaceAll("\"kid\":\"[A-Za-z0-9_-]{43}\"", "\"kid\":\"<kid>\""))
                .isEqualTo(jwtPart(t.output(), 0).toString().replaceAll("\"kid\":\"[A-Za-z0-9_-]{43}\"", "\"kid\":\"<kid>\""));
        JsonNode jwks = ServerAccess.json(server.access().get("/openid/v1/jwks"));
        assertThat(jwks.path("keys").findValuesAsText("kid")).contains(header.path("kid").asText());

        // Claims: the reference's, except the audiences, which default to the server's API audiences — here two.
        String expected = claimsShape(jwtPayloadText(t.output()), null, 3600, true)
                .replace("\"aud\":[\"" + SA_ISSUER + "\"]", "\"aud\":[\"" + SA_ISSUER + "\",\"" + OIDC_AUDIENCE + "\"]");
        assertThat(claimsShape(jwtPayloadText(r.stdout()), demoSaUid, 3600, false)).isEqualTo(expected);
    }

    @Test
    @Order(53)
    void t53_createTokenWithDurationAndAudience() {
        Transcript t = Transcript.load("53-create-token-decoded.txt");
        // The reference piped the token through cut/tr/base64 to print its claims; the test decodes it itself.
        assertThat(t.command()).startsWith("kubectl create token demo-sa --duration=10m --audience=" + SA_ISSUER + " | cut -d. -f2 ");
        Kubectl.Result r = succeed("create", "token", "demo-sa", "--duration=10m", "--audience=" + SA_ISSUER);
        assertThat(claimsShape(jwtPayloadText(r.stdout()), demoSaUid, 600, false))
                .as("53 with kubectl %s: the token's claims", version)
                .isEqualTo(claimsShape(Normalize.trailing(t.output()), null, 600, true));
    }

    @Test
    @Order(54)
    void t54_createTokenForTheDefaultServiceAccount() {
        // Accepted divergence (see the class comment): the reference's default ServiceAccount did not exist.
        Transcript t = Transcript.load("54-create-token-default-sa.txt");
        assertThat(t.output()).isEqualTo("error: failed to create token: serviceaccounts \"default\" not found\n");
        Kubectl.Result r = kubectl(t.kubectlArgs());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(jwtPart(r.stdout(), 1).path("sub").asText()).isEqualTo("system:serviceaccount:default:default");
    }

    @Test
    @Order(55)
    void t55_serviceAccountTokenAuthenticatesButIsNotAuthorizedYet() {
        Transcript t = Transcript.load("55-token-authenticate.txt");
        String login = "kubectl --server=https://127.0.0.1:6443 --certificate-authority=./pki/ca.crt --token=$TOK --kubeconfig=/dev/null ";
        assertThat(t.command()).isEqualTo("TOK=$(kubectl create token demo-sa); " + login + "auth whoami; " + login + "get secrets");
        String token = succeed("create", "token", "demo-sa").stdout().strip();
        List<String> whoamiArgs = new ArrayList<>(tokenLogin(token));
        whoamiArgs.addAll(List.of("auth", "whoami"));
        Kubectl.Result whoami = kubectl(whoamiArgs);
        List<String> getArgs = new ArrayList<>(tokenLogin(token));
        getArgs.addAll(List.of("get", "secrets"));
        Kubectl.Result get = kubectl(getArgs);

        String referenceUid = "cef8f21f-95e4-4bff-aec0-22b0fbdb73d5";
        List<String> expected = t.output().replace(referenceUid, demoSaUid).lines().toList();
        String jti = jwtPart(token, 1).path("jti").asText();
        SoftAssertions soft = new SoftAssertions();
        assertWhoami(soft, "55 whoami", whoami, Normalize::table, whoamiRows(String.join("\n", expected.subList(0, 4)), CREDENTIAL_ID, "JTI=" + jti));
        soft.assertThat(get.combined()).as("55 get secrets with kubectl %s\n%s", version, get).isEqualTo(expected.get(4) + "\n");
        soft.assertThat(get.exitCode()).isEqualTo(t.exitCode());
        soft.assertAll();
    }

    private Identity serviceAccount() {
        String token = succeed("create", "token", "demo-sa", "--audience=" + OIDC_AUDIENCE).stdout().strip();
        assertThat(jwtPart(token, 1).path("aud").toString()).isEqualTo("[\"" + OIDC_AUDIENCE + "\"]");
        return new Identity("service account", "system:serviceaccount:default:demo-sa", tokenLogin(token));
    }

    @Test
    @Order(56)
    void serviceAccountBoundToSecretReaderReadsButCannotWriteOrLeaveTheNamespace() {
        Kubectl.Result bind = succeed("create", "rolebinding", "demo-sa-reads", "--role=secret-reader", "--serviceaccount=default:demo-sa");
        assertThat(bind.combined()).isEqualTo("rolebinding.rbac.authorization.k8s.io/demo-sa-reads created\n");
        readsAllowedWritesAndOtherNamespacesRefused(serviceAccount());
    }

    @Test
    @Order(57)
    void serviceAccountCanIMatrix() {
        canIMatrix(serviceAccount(), null);
        // Asked by the admin on the account's behalf, as 38–42 ask about alice.
        SoftAssertions soft = new SoftAssertions();
        String sa = "--as=system:serviceaccount:default:demo-sa";
        for (var q : List.of(List.of("get", "secrets"), List.of("list", "secrets", "-n", "default"), List.of("create", "secrets"),
                List.of("delete", "secrets"), List.of("get", "secrets", "-n", "kube-system"))) {
            List<String> args = new ArrayList<>(List.of("auth", "can-i"));
            args.addAll(q);
            args.add(sa);
            Kubectl.Result r = kubectl(args);
            boolean yes = !q.getFirst().matches("create|delete") && !q.contains("kube-system");
            soft.assertThat(r.combined()).as("%s", r).isEqualTo(yes ? "yes\n" : "no\n");
            soft.assertThat(r.exitCode()).as("%s", r).isEqualTo(yes ? 0 : 1);
        }
        soft.assertAll();
    }
}
