package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed commands of issue 2, run with each real kubectl from 1.27 to 1.33 against a fresh server, in the order the
 * reference transcripts were recorded (their outputs depend on what came before: {@code get secrets} lists what 02–06
 * created, the raw list's {@code remainingItemCount} counts everything up to 29, the watch's initial rows are the
 * state at 34), and compared with what a real kube-apiserver v1.28 printed.
 *
 * <p>Comparisons are exact after {@link Normalize}, whose rules each say why a value may differ. Accepted,
 * documented divergences: the server version string (01), the order of describe's Data keys (random in Go),
 * the watch command's exit code (the reference stopped it with {@code timeout}; we stop it ourselves).
 * managedFields are compared in their own tests (31/32 "managedFields") so that their state is visible on its own.
 *
 * <p>The commands after 61 are the rest of the seed user story, which the reference did not record: the export →
 * delete → apply round trip, apply that changes nothing, edit, server-side apply, delete that waits, and namespaces.
 * Their expectations come from upstream behaviour (k8s-api-surface.md §18 and kubectl's own messages).
 *
 * <p>Parameterised by subclassing: {@code SeedCommandsKubectl127Test} … {@code SeedCommandsKubectl133Test} each run
 * the whole suite with one kubectl (so each version shows on its own in the reports, and two versions run at a time —
 * see junit-platform.properties); {@link EveryKubectlVersionIsTestedTest} keeps that list complete. Within a version
 * the methods share one server and run in order; a failure early on (e.g. a create that kubectl 1.32+ sends as
 * protobuf) makes later comparisons that need its object fail too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SeedCommandsCompatibility {
    private static final Duration LINE_DEADLINE = Duration.ofSeconds(30);

    /** The kubectl version under test: each subclass ({@code SeedCommandsKubectl1NNTest}) is one version. */
    private final String version;
    private Path root;
    private TestServer server;
    private Kubectl kubectl;

    SeedCommandsCompatibility(String version) {
        this.version = version;
    }

    String version() { return version; }

    @BeforeAll
    void startServer() throws IOException {
        root = Files.createTempDirectory("strongroom-e2e-kubectl-" + version + "-");
        server = TestServer.start(root);
        kubectl = server.kubectl(version, root.resolve("work"));
        Fixtures.writeSeedFiles(kubectl.workDir());
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) server.close();
        Fixtures.deleteTree(root);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private Kubectl.Result kubectl(String... args) {
        return kubectl.run(args);
    }

    /** Runs the transcript's own command line and compares the output after {@code normalize}. */
    private Kubectl.Result runTranscript(String name, UnaryOperator<String> normalize) {
        Transcript t = Transcript.load(name);
        Kubectl.Result r = kubectl.run(t.kubectlArgs(), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        assertMatches(t, r.combined(), r.exitCode(), normalize, r.toString());
        return r;
    }

    private Kubectl.Result runTranscript(String name) {
        return runTranscript(name, s -> s);
    }

    private void assertMatches(Transcript t, String output, int exitCode, UnaryOperator<String> normalize, String context) {
        String expected = normalize.apply(Normalize.trailing(t.output()));
        String actual = normalize.apply(Normalize.trailing(output));
        assertThat(actual).as("%s with kubectl %s (normalised; expected is the reference transcript)\n%s", t.name(), version, context)
                .isEqualTo(expected);
        assertThat(exitCode).as("%s with kubectl %s: exit code\n%s", t.name(), version, context).isEqualTo(t.exitCode());
    }

    /** Runs a command that must succeed (its output is not under test here). */
    private Kubectl.Result succeed(String... args) {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.exitCode()).as("kubectl %s\n%s", version, r).isZero();
        return r;
    }

    /** Succeeded, printed exactly {@code stdout}, and nothing on stderr (no warning either). */
    private void assertOk(Kubectl.Result r, String stdout) {
        assertThat(r.combined()).as("kubectl %s\n%s", version, r).isEqualTo(stdout);
        assertThat(r.exitCode()).as("kubectl %s\n%s", version, r).isZero();
    }

    private JsonNode getJson(String... args) {
        List<String> a = new ArrayList<>(List.of("get"));
        a.addAll(List.of(args));
        a.addAll(List.of("-o", "json"));
        Kubectl.Result r = kubectl.run(a.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isZero();
        try {
            return ServerAccess.JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("kubectl -o json printed no JSON:\n" + r, e);
        }
    }

    // -------------------------------------------------------------------------------------- the reference sequence

    @Test
    @Order(1)
    void t01_version() {
        // kubectl 1.27 prints version.Info{…} structs by default; --short is the format the other versions print.
        Transcript t = Transcript.load("01-version.txt");
        assertThat(t.kubectlArgs()).containsExactly("version");
        Kubectl.Result r = kubectl.minor() == 27 ? kubectl("version", "--short") : kubectl("version");
        String gitVersion = ServerAccess.json(server.access().get("/version")).path("gitVersion").asText();
        assertThat(gitVersion).as("/version gitVersion").startsWith("v1.33.");

        List<String> stderr = new ArrayList<>(r.stderr().lines().toList());
        // Client-side notices, not server output: the --short deprecation (1.27 only) and the skew warning that
        // kubectl prints when the server's minor (33) is more than one away from its own.
        boolean skewed = Math.abs(kubectl.minor() - 33) > 1;
        String skew = "WARNING: version difference between client (" + version + ") and server (1.33) exceeds the supported minor version skew of +/-1";
        assertThat(stderr.remove(skew)).as("skew warning present exactly when |minor-33| > 1\n%s", r).isEqualTo(skewed);
        if (kubectl.minor() == 27) {
            assertThat(stderr.remove("Flag --short has been deprecated, and will be removed in the future. The --short output will become the default."))
                    .as("%s", r).isTrue();
        }
        assertThat(stderr).as("nothing else on stderr\n%s", r).isEmpty();

        assertThat(r.stdout()).as("%s", r).contains("Client Version: v" + version + ".").contains("Server Version: " + gitVersion + "\n");
        // Accepted divergence: the server version string (the reference server is v1.28.7; Strongroom reports 1.33
        // so that the gcloud kubectl dispatcher picks a current client). Client and kustomize versions belong to the binary.
        UnaryOperator<String> versions = s -> s.replaceAll("(?m)^Client Version: v1\\.\\d+\\.\\d+$", "Client Version: <client>")
                .replaceAll("(?m)^Kustomize Version: v\\S+$", "Kustomize Version: <kustomize>")
                .replaceAll("(?m)^Server Version: v\\S+$", "Server Version: <server>");
        assertMatches(t, r.stdout(), r.exitCode(), versions, r.toString());
    }

    @Test
    @Order(2)
    void t02_createGenericFromLiterals() {
        runTranscript("02-create-generic-literal.txt");
    }

    @Test
    @Order(3)
    void t03_createGenericFromFiles() {
        runTranscript("03-create-generic-fromfile.txt");
    }

    @Test
    @Order(4)
    void t04_createGenericFromTlsFiles() {
        runTranscript("04-create-generic-tls-files.txt");
    }

    @Test
    @Order(5)
    void t05_createTls() {
        runTranscript("05-create-tls.txt");
    }

    @Test
    @Order(6)
    void t06_createDockerRegistry() {
        runTranscript("06-create-docker-registry.txt");
    }

    @Test
    @Order(7)
    void t07_createAlreadyExists() {
        runTranscript("07-create-already-exists.txt");
    }

    @Test
    @Order(8)
    void t08_createInvalidName() {
        runTranscript("08-create-invalid-name.txt");
    }

    @Test
    @Order(9)
    void t09_createDryRunServer() {
        runTranscript("09-create-dry-run-server.txt", Normalize::object);
        // A server-side dry run must not have stored anything.
        Kubectl.Result r = kubectl("get", "secret", "dry-secret");
        assertThat(r.stderr()).as("%s", r).isEqualTo("Error from server (NotFound): secrets \"dry-secret\" not found\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    @Order(10)
    void t10_getTable() {
        runTranscript("10-get-secrets.txt", Normalize::table);
    }

    @Test
    @Order(11)
    void t11_getWideShowLabels() {
        runTranscript("11-get-secrets-wide-labels.txt", Normalize::table);
    }

    @Test
    @Order(12)
    void t12_getYaml() {
        runTranscript("12-get-my-secret-yaml.txt", Normalize::object);
    }

    @Test
    @Order(13)
    void t13_getJson() {
        runTranscript("13-get-my-secret-json.txt", Normalize::object);
    }

    @Test
    @Order(14)
    void t14_getJsonpathBase64Decode() {
        Transcript t = Transcript.load("14-get-jsonpath-decode.txt");
        assertThat(t.command()).isEqualTo("kubectl get secret my-secret -o jsonpath='{.data.password}' | base64 --decode; echo");
        Kubectl.Result r = kubectl("get", "secret", "my-secret", "-o", "jsonpath={.data.password}");
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(r.stdout()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("jsonpath printed no base64:\n" + r, e);
        }
        // "| base64 --decode; echo": the pipeline's status is echo's; kubectl's own must be 0 as well.
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertMatches(t, decoded + "\n" + r.stderr(), 0, s -> s, r.toString());
    }

    @Test
    @Order(15)
    void t15_getGoTemplate() {
        runTranscript("15-get-go-template.txt");
    }

    @Test
    @Order(16)
    void t16_getNotFound() {
        runTranscript("16-get-notfound.txt");
    }

    @Test
    @Order(17)
    void t17_getDockerRegistryYaml() {
        runTranscript("17-get-docker-registry-yaml.txt", Normalize::object);
    }

    @Test
    @Order(18)
    void t18_getTlsYaml() {
        runTranscript("18-get-tls-yaml.txt", Normalize::object);
    }

    @Test
    @Order(19)
    void t19_describeOne() {
        runTranscript("19-describe-my-secret.txt", Normalize::describe);
    }

    @Test
    @Order(20)
    void t20_describeAll() {
        runTranscript("20-describe-all.txt", Normalize::describe);
    }

    @Test
    @Order(21)
    void t21_applyCreate() {
        runTranscript("21-apply-create.txt");
    }

    @Test
    @Order(22)
    void t22_applyAgain() {
        // The reference printed "configured" for a second apply of the same file: the file carries stringData,
        // which the server turns into data and never returns, so kubectl's three-way merge always finds a change
        // (see Fixtures.SECRET_APPLY). An apply that really changes nothing is t71.
        runTranscript("22-apply-unchanged.txt");
    }

    @Test
    @Order(23)
    void t23_applyChanged() {
        runTranscript("23-apply-configured.txt");
    }

    @Test
    @Order(24)
    void t24_getAppliedYaml() {
        runTranscript("24-apply-get-yaml.txt", Normalize::object);
    }

    @Test
    @Order(25)
    void t25_patchStringData() {
        runTranscript("25-patch-stringdata.txt");
    }

    @Test
    @Order(26)
    void t26_label() {
        runTranscript("26-label.txt");
    }

    @Test
    @Order(27)
    void t27_annotate() {
        // kubectl 1.27 itself prints "annotate" for "annotated" (kubernetes/kubectl#1462, fixed in 1.28 by
        // kubernetes/kubernetes#118045): a client-side typo, corrected for that version only.
        UnaryOperator<String> clientTypo = kubectl.minor() == 27 ? s -> s.replaceAll("(?m)^(secret/\\S+) annotate$", "$1 annotated") : s -> s;
        runTranscript("27-annotate.txt", clientTypo);
    }

    @Test
    @Order(28)
    void t28_getAfterPatch() {
        runTranscript("28-get-after-patch.txt", Normalize::object);
    }

    @Test
    @Order(29)
    void t29_immutableCreate() {
        Transcript t = Transcript.load("29-immutable-create.txt");
        assertThat(t.command()).startsWith("kubectl apply -f - <<'Y'\n");
        Kubectl.Result r = kubectl.runWithStdin(Fixtures.hereDocument(t.command()), "apply", "-f", "-");
        assertMatches(t, r.combined(), r.exitCode(), s -> s, r.toString());
    }

    @Test
    @Order(30)
    void t30_immutableUpdateRefused() {
        runTranscript("30-immutable-update.txt");
        JsonNode s = getJson("secret", "immutable-secret");
        assertThat(s.path("data").path("key").asText()).as("the refused update changed nothing").isEqualTo("djE=");
    }

    @Test
    @Order(31)
    void t31_rawGet() {
        Transcript t = Transcript.load("31-raw-get.txt");
        Kubectl.Result r = kubectl.run(t.kubectlArgs(), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        // managedFields are compared in t31_rawGetManagedFields (removed on both sides here).
        assertMatches(t, r.combined(), r.exitCode(), s -> Normalize.object(ManagedFields.remove(s)), r.toString());
    }

    @Test
    @Order(31)
    void t31_rawGetManagedFields() {
        // MANAGED FIELDS: isolated on purpose — managedFields tracking is being completed; a failure here alone
        // is about managedFields, not about the rest of the object.
        Transcript t = Transcript.load("31-raw-get.txt");
        Kubectl.Result r = kubectl.run(t.kubectlArgs(), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        assertThat(r.exitCode()).as("%s", r).isZero();
        ManagedFields.assertSameEntries(ManagedFields.of(r.stdout(), "/metadata/managedFields"),
                ManagedFields.of(t.output(), "/metadata/managedFields"), t.name() + " with kubectl " + version);
    }

    @Test
    @Order(32)
    void t32_rawListLimit() {
        Transcript t = Transcript.load("32-raw-list-limit.txt");
        Kubectl.Result r = kubectl.run(t.kubectlArgs(), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        // managedFields are compared in t32_rawListLimitManagedFields (removed on both sides here).
        assertMatches(t, r.combined(), r.exitCode(), s -> Normalize.object(ManagedFields.remove(s)), r.toString());

        JsonNode page = parse(r.stdout());
        // A list's resourceVersion is at least every item's (informers rely on it: k8s-api-surface.md §19.9).
        long listRv = page.path("metadata").path("resourceVersion").asLong();
        for (JsonNode item : page.path("items")) {
            assertThat(item.path("metadata").path("resourceVersion").asLong()).as("item RV ≤ list RV").isLessThanOrEqualTo(listRv);
        }
        // The continue token (normalised away above) must lead through the rest of the list, in name order.
        List<String> names = new ArrayList<>();
        page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        String token = page.path("metadata").path("continue").asText();
        while (!token.isEmpty()) {
            Kubectl.Result next = kubectl("get", "--raw", "/api/v1/namespaces/default/secrets?limit=2&continue=" + token);
            assertThat(next.exitCode()).as("%s", next).isZero();
            JsonNode p = parse(next.stdout());
            p.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
            token = p.path("metadata").path("continue").asText("");
        }
        assertThat(names).containsExactly("db-user-pass", "immutable-secret", "my-registry-secret", "my-secret",
                "my-tls-secret", "mysecret-applied", "tls-secret");
    }

    @Test
    @Order(32)
    void t32_rawListLimitManagedFields() {
        // MANAGED FIELDS: isolated on purpose, see t31_rawGetManagedFields.
        Transcript t = Transcript.load("32-raw-list-limit.txt");
        Kubectl.Result r = kubectl.run(t.kubectlArgs(), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        assertThat(r.exitCode()).as("%s", r).isZero();
        for (int i = 0; i < 2; i++) {
            ManagedFields.assertSameEntries(ManagedFields.of(r.stdout(), "/items/" + i + "/metadata/managedFields"),
                    ManagedFields.of(t.output(), "/items/" + i + "/metadata/managedFields"), t.name() + " item " + i + " with kubectl " + version);
        }
    }

    @Test
    @Order(33)
    void t33_rawNotFound() {
        runTranscript("33-raw-notfound.txt");
    }

    @Test
    @Order(34)
    void t34_watchSeesCreatePatchDelete() {
        Transcript t = Transcript.load("34-watch.txt");
        assertThat(t.command()).contains("kubectl create secret generic watched-secret --from-literal=a=1")
                .contains("kubectl patch secret watched-secret -p '{\"stringData\":{\"a\":\"2\"}}'")
                .contains("kubectl delete secret watched-secret").contains("kubectl get secrets -w");
        List<String> expected = t.output().lines().toList();
        int initialRows = (int) expected.stream().takeWhile(l -> !l.startsWith("watched-secret ")).count();
        String lastInitial = expected.get(initialRows - 1).split(" ")[0];

        try (Kubectl.Streaming watch = kubectl.start(List.of("get", "secrets", "-w"), Map.of())) {
            // The header and the initial list come first; kubectl then watches from the list's resourceVersion,
            // so whatever is done after these lines is seen.
            watch.awaitLine(l -> l.startsWith(lastInitial + " "), "for " + lastInitial + " (last initial row)", LINE_DEADLINE);
            succeed("create", "secret", "generic", "watched-secret", "--from-literal=a=1");
            watch.awaitLine(l -> l.startsWith("watched-secret "), "for the ADDED watched-secret", LINE_DEADLINE);
            succeed("patch", "secret", "watched-secret", "-p", "{\"stringData\":{\"a\":\"2\"}}");
            watch.awaitLine(l -> l.startsWith("watched-secret "), "for the MODIFIED watched-secret", LINE_DEADLINE);
            succeed("delete", "secret", "watched-secret");
            watch.awaitLine(l -> l.startsWith("watched-secret "), "for the DELETED watched-secret", LINE_DEADLINE);
            // Exit status not compared: the reference ended the watch with timeout(1) and printed wait's status.
            assertMatches(t, String.join("\n", watch.lines()) + "\n", t.exitCode(), Normalize::table, "stderr:\n" + watch.stderr());
            assertThat(watch.isAlive()).as("kubectl get -w must keep watching (the server must not end the stream)").isTrue();
        }
    }

    @Test
    @Order(35)
    void t35_watchOnlyWithEvents() {
        Transcript t = Transcript.load("35-watch-output-events.txt");
        assertThat(t.command()).contains("kubectl create secret generic watched-secret2 --from-literal=a=1")
                .contains("kubectl delete secret watched-secret2").contains("kubectl get secrets -w --output-watch-events --watch-only");
        // --watch-only prints nothing before the first event, so the only sign that the watch is open is kubectl's
        // request log: -v=6 logs the watch request once its response headers arrived (on stderr; stdout unchanged).
        try (Kubectl.Streaming watch = kubectl.start(List.of("get", "secrets", "-w", "--output-watch-events", "--watch-only", "-v=6"), Map.of())) {
            watch.awaitStderrLine(l -> l.contains("watch=true") && l.contains("200 OK"), "logging the open watch request", LINE_DEADLINE);
            succeed("create", "secret", "generic", "watched-secret2", "--from-literal=a=1");
            watch.awaitLine(l -> l.startsWith("ADDED "), "ADDED", LINE_DEADLINE);
            succeed("delete", "secret", "watched-secret2");
            watch.awaitLine(l -> l.startsWith("DELETED "), "DELETED", LINE_DEADLINE);
            assertMatches(t, String.join("\n", watch.lines()) + "\n", t.exitCode(), Normalize::table, "stderr:\n" + watch.stderr());
        }
    }

    @Test
    @Order(56)
    void t56_serviceAccountTokenSecret() {
        Transcript t = Transcript.load("56-sa-token-secret.txt", 1);
        assertThat(t.command()).endsWith("\nY\nsleep 1; kubectl get secret demo-sa-token -o yaml");
        Kubectl.Result apply = kubectl.runWithStdin(Fixtures.hereDocument(t.command()), "apply", "-f", "-");
        // The reference slept to give its token controller a chance to act (it did not: demo-sa does not exist);
        // Strongroom has no such controller, so there is nothing to wait for.
        Kubectl.Result get = kubectl("get", "secret", "demo-sa-token", "-o", "yaml");
        assertMatches(t, apply.combined() + get.combined(), get.exitCode(), Normalize::object, apply + "\n" + get);
        assertThat(apply.exitCode()).as("%s", apply).isZero();
    }

    @Test
    @Order(57)
    void t57_deleteOne() {
        runTranscript("57-delete-one.txt");
    }

    @Test
    @Order(58)
    void t58_deleteFile() {
        runTranscript("58-delete-file.txt");
    }

    @Test
    @Order(59)
    void t59_deleteNotFound() {
        runTranscript("59-delete-notfound.txt");
    }

    @Test
    @Order(60)
    void t60_deleteLabelSelector() {
        Transcript t = Transcript.load("60-delete-label-selector.txt");
        String[] commands = t.command().split(" && ");
        assertThat(commands).hasSize(3);
        StringBuilder out = new StringBuilder();
        StringBuilder context = new StringBuilder();
        int exit = 0;
        for (String c : commands) {
            List<String> words = Transcript.shellWords(c);
            assertThat(words.getFirst()).isEqualTo("kubectl");
            Kubectl.Result r = kubectl.run(words.subList(1, words.size()), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
            out.append(r.combined());
            context.append(r).append('\n');
            exit = r.exitCode();
            if (exit != 0) break; // &&
        }
        assertMatches(t, out.toString(), exit, s -> s, context.toString());
    }

    @Test
    @Order(61)
    void t61_getFinal() {
        runTranscript("61-get-secrets-final.txt", Normalize::table);
    }

    // ------------------------------------------------------- the rest of the seed user story (no reference recorded)

    @Test
    @Order(70)
    void t70_exportDeleteApplyRoundTrip() throws IOException {
        // kubectl get secret my-secret -o yaml > my-secret.yaml; kubectl delete secret my-secret; kubectl apply -f my-secret.yaml
        Kubectl.Result export = kubectl("get", "secret", "my-secret", "-o", "yaml");
        assertThat(export.exitCode()).as("%s", export).isZero();
        Files.writeString(kubectl.workDir().resolve("my-secret.yaml"), export.stdout());
        JsonNode before = ServerAccess.YAML.readTree(export.stdout());

        assertOk(kubectl("delete", "secret", "my-secret"), "secret \"my-secret\" deleted\n");
        Kubectl.Result gone = kubectl("get", "secret", "my-secret");
        assertThat(gone.stderr()).as("%s", gone).isEqualTo("Error from server (NotFound): secrets \"my-secret\" not found\n");

        assertOk(kubectl("apply", "-f", "my-secret.yaml"), "secret/my-secret created\n");
        JsonNode after = getJson("secret", "my-secret");
        assertThat(after.path("data")).as("the same data is back").isEqualTo(before.path("data"));
        assertThat(after.path("data").path("password").asText()).isEqualTo("bXlwYXNzd29yZA==");
        assertThat(after.path("type")).isEqualTo(before.path("type"));
        assertThat(after.path("metadata").path("labels")).isEqualTo(before.path("metadata").path("labels"));
        ObjectNode annotations = after.path("metadata").path("annotations").deepCopy();
        String lastApplied = annotations.remove("kubectl.kubernetes.io/last-applied-configuration").asText();
        assertThat(annotations).as("the exported annotations are back").isEqualTo(before.path("metadata").path("annotations"));
        assertThat(parse(lastApplied).path("data")).as("last-applied-configuration records the file").isEqualTo(before.path("data"));
        // It is a new object: the server assigns a new UID (the one in the file is ignored on create).
        assertThat(after.path("metadata").path("uid").asText()).isNotEqualTo(before.path("metadata").path("uid").asText());
    }

    @Test
    @Order(71)
    void t71_applyUnchanged() throws IOException {
        Path f = kubectl.workDir().resolve("unchanged.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: apply-unchanged
                type: Opaque
                data:
                  token: dG9rZW4=
                """);
        assertOk(kubectl("apply", "-f", f.toString()), "secret/apply-unchanged created\n");
        String rv = getJson("secret", "apply-unchanged").path("metadata").path("resourceVersion").asText();
        // kubectl computes an empty patch and says so; nothing may be written (no new resourceVersion).
        assertOk(kubectl("apply", "-f", f.toString()), "secret/apply-unchanged unchanged\n");
        assertThat(getJson("secret", "apply-unchanged").path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
    }

    @Test
    @Order(72)
    void t72_editWithScriptedEditor() throws IOException {
        assertOk(kubectl.runWithStdin("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: edit-me
                  labels:
                    app: demo
                data:
                  password: b3JpZ2luYWw=
                """, "apply", "-f", "-"), "secret/edit-me created\n");
        // KUBE_EDITOR gets the temporary file as its last argument: change a data value and add a label, like a
        // user would in vi.
        Path editor = kubectl.workDir().resolve("editor.sh");
        Files.writeString(editor, """
                #!/bin/sh
                for f; do :; done
                sed -i -e 's/^  password: .*/  password: ZWRpdGVk/' -e 's/^  labels:$/  labels:\\n    edited: "yes"/' "$f"
                """);
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Kubectl.Result r = kubectl.run(List.of("edit", "secret", "edit-me"), null, Kubectl.env("KUBE_EDITOR", editor.toString()), Kubectl.DEFAULT_TIMEOUT);
        assertOk(r, "secret/edit-me edited\n");
        JsonNode s = getJson("secret", "edit-me");
        assertThat(s.path("data").path("password").asText()).isEqualTo("ZWRpdGVk");
        assertThat(s.path("metadata").path("labels")).isEqualTo(parse("{\"app\":\"demo\",\"edited\":\"yes\"}"));
    }

    @Test
    @Order(73)
    void t73_serverSideApply() throws IOException {
        Path f = kubectl.workDir().resolve("ssa.yaml");
        String v1 = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: ssa-secret
                  labels:
                    app: demo
                type: Opaque
                stringData:
                  password: s3cr3t
                """;
        Files.writeString(f, v1);
        assertOk(kubectl("apply", "--server-side", "-f", f.toString()), "secret/ssa-secret serverside-applied\n");
        JsonNode s = getJson("secret", "ssa-secret");
        assertThat(s.path("data").path("password").asText()).isEqualTo("czNjcjN0");
        assertThat(s.has("stringData")).as("stringData is never returned").isFalse();

        Files.writeString(f, v1.replace("s3cr3t", "newpass").replace("app: demo", "app: demo2"));
        assertOk(kubectl("apply", "--server-side", "-f", f.toString()), "secret/ssa-secret serverside-applied\n");
        s = getJson("secret", "ssa-secret");
        assertThat(s.path("data").path("password").asText()).isEqualTo("bmV3cGFzcw==");
        assertThat(s.path("metadata").path("labels").path("app").asText()).isEqualTo("demo2");
    }

    @Test
    @Order(74)
    void t74_serverSideApplyOverClientSideApply() throws IOException {
        // An object made by client-side apply carries last-applied-configuration; apply --server-side then also
        // migrates its managedFields (k8s-api-surface.md §0.9: an SSA patch as kubectl-last-applied, a JSON patch
        // of /metadata/managedFields, the SSA patch again).
        Path f = kubectl.workDir().resolve("migrate.yaml");
        String v1 = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: csa-then-ssa
                type: Opaque
                data:
                  token: b25l
                """;
        Files.writeString(f, v1);
        assertOk(kubectl("apply", "-f", f.toString()), "secret/csa-then-ssa created\n");
        Files.writeString(f, v1.replace("b25l", "dHdv"));
        assertOk(kubectl("apply", "--server-side", "-f", f.toString()), "secret/csa-then-ssa serverside-applied\n");
        assertThat(getJson("secret", "csa-then-ssa").path("data").path("token").asText()).isEqualTo("dHdv");
    }

    @Test
    @Order(75)
    void t75_deleteWaitsUntilTheObjectIsGone() {
        assertOk(kubectl.runWithStdin("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: held
                  finalizers: ["example.com/hold"]
                stringData:
                  a: b
                """, "apply", "-f", "-"), "secret/held created\n");
        // With a finalizer, DELETE only marks the object (deletionTimestamp); kubectl prints "deleted" and then waits
        // (list + watch with fieldSelector metadata.name) for the DELETED event that comes when the last finalizer goes.
        try (Kubectl.Streaming delete = kubectl.start(List.of("delete", "secret", "held"), Map.of())) {
            delete.awaitLine(l -> l.equals("secret \"held\" deleted"), "secret \"held\" deleted", LINE_DEADLINE);
            Kubectl.Result held = kubectl("get", "secret", "held", "-o", "jsonpath={.metadata.deletionTimestamp}");
            assertThat(held.exitCode()).as("with a finalizer, DELETE only marks the secret; it must still be there\n%s", held).isZero();
            assertThat(held.stdout()).as("marked for deletion (deletionTimestamp set)\n%s", held).matches(Normalize.TIME.pattern());
            assertThat(delete.isAlive()).as("kubectl delete is waiting for the object to go").isTrue();
            assertOk(kubectl("patch", "secret", "held", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"), "secret/held patched\n");
            assertThat(delete.awaitExit(LINE_DEADLINE)).as("kubectl delete returns once the object is gone\n%s", delete.stderr()).isZero();
        }
        Kubectl.Result r = kubectl("get", "secret", "held");
        assertThat(r.stderr()).as("%s", r).isEqualTo("Error from server (NotFound): secrets \"held\" not found\n");
    }

    @Test
    @Order(76)
    void t76_createAndDeleteNamespace() {
        assertOk(kubectl("create", "namespace", "team-a"), "namespace/team-a created\n");
        assertOk(kubectl.runWithStdin("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: in-team-a
                stringData:
                  a: b
                """, "apply", "-n", "team-a", "-f", "-"), "secret/in-team-a created\n");
        Kubectl.Result labels = kubectl("get", "namespace", "team-a", "-o", "jsonpath={.metadata.labels}");
        assertThat(labels.stdout()).as("%s", labels).isEqualTo("{\"kubernetes.io/metadata.name\":\"team-a\"}");

        // kubectl waits for the namespace to finish terminating; it must return, and take the secrets with it.
        Kubectl.Result delete = kubectl.run(List.of("delete", "namespace", "team-a"), null, Map.of(), Kubectl.DEFAULT_TIMEOUT);
        assertOk(delete, "namespace \"team-a\" deleted\n");
        Kubectl.Result ns = kubectl("get", "namespace", "team-a");
        assertThat(ns.stderr()).as("%s", ns).isEqualTo("Error from server (NotFound): namespaces \"team-a\" not found\n");
        Kubectl.Result secrets = kubectl("get", "secrets", "-n", "team-a");
        assertThat(secrets.stdout() + secrets.stderr()).as("%s", secrets).isEqualTo("No resources found in team-a namespace.\n");
        JsonNode all = getJson("secrets", "--all-namespaces");
        for (JsonNode item : all.path("items")) {
            assertThat(item.path("metadata").path("namespace").asText()).as("no secret left in the deleted namespace").isNotEqualTo("team-a");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return ServerAccess.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
