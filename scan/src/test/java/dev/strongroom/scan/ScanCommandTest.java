package dev.strongroom.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.scan.rules.RuleCatalog;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The command as a user runs it: inputs, formats, exit codes, suppression, config. */
class ScanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private String resource(String name) {
        return TestScans.resource(name);
    }

    @Test
    void helpTeachesUsageExamplesAndExitCodes() {
        CommandRunner.Run run = CommandRunner.run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: scan", "Examples:", "helm template ./chart | strongroom scan -",
                "--format sarif -o results.sarif", "--cluster", "Exit codes:", "strongroom.dev/ignore", "--fail-on", "--profile");
    }

    @Test
    void listRulesPrintsTheWholeCatalogue() {
        CommandRunner.Run run = CommandRunner.run("--list-rules");
        assertThat(run.exitCode()).isZero();
        for (String id : RuleCatalog.all().keySet()) assertThat(run.out()).contains(id);
    }

    @Test
    void exitCodeFollowsFailOn() throws IOException {
        Path seed = write("pod.yaml", resource("seeds/000-pod-secret-env.yaml"));
        Path clean = write("clean.yaml", resource("fixtures/clean.yaml"));
        assertThat(CommandRunner.run(clean.toString()).exitCode()).isZero();
        assertThat(CommandRunner.run(seed.toString()).exitCode()).isEqualTo(1);           // SR-POD-001 is high
        assertThat(CommandRunner.run("--fail-on", "critical", seed.toString()).exitCode()).isZero();
        assertThat(CommandRunner.run("--fail-on", "low", clean.toString()).exitCode()).isZero();
        assertThat(CommandRunner.run("--fail-on", "none", seed.toString()).exitCode()).isZero();
    }

    @Test
    void cleanNamespaceReportsNoFindings() throws IOException {
        CommandRunner.Run run = CommandRunner.run(write("clean.yaml", resource("fixtures/clean.yaml")).toString());
        assertThat(run.out()).startsWith("No findings in 5 objects from 1 source");
    }

    @Test
    void usageAndInputErrorsExitWithTwo() {
        CommandRunner.Run none = CommandRunner.run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("nothing to scan");
        CommandRunner.Run missing = CommandRunner.run(dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");
        assertThat(CommandRunner.run("--format", "xml", "x").exitCode()).isEqualTo(2);
        assertThat(CommandRunner.run("--fail-on", "severe", "-").exitCode()).isEqualTo(2);
        assertThat(CommandRunner.run("--disable", "SR-NOPE-1", "-").err()).contains("unknown rule ID");
    }

    @Test
    void standardInputIsScannedWithDash() {
        CommandRunner.Run run = CommandRunner.withStdin(resource("seeds/001-my-secret-backup.yaml"), null, "--format", "json", "-");
        JsonNode report = parse(run.out());
        assertThat(report.at("/findings/0/ruleId").asText()).isEqualTo("SR-SEC-001");
        assertThat(report.at("/findings/0/location/file").asText()).isEqualTo("<stdin>");
        assertThat(report.at("/findings/0/location/line").asInt()).isEqualTo(3);
    }

    @Test
    void directoriesAreWalkedRecursivelyAndOneBrokenFileDoesNotStopTheScan() throws IOException {
        write("k8s/apps/web.yaml", resource("seeds/000-pod-secret-env.yaml"));
        write("k8s/rbac/role.yml", resource("seeds/001-secret-reader-role.yaml"));
        write("k8s/secret.json", "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"s\"}, \"data\": {\"k\": \"dmFsdWUxMjM=\"}}");
        write("k8s/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: indent\n");
        write("k8s/notes.txt", "apiVersion: v1\nkind: Secret\ndata: {k: dmFsdWU=}\n");  // not a manifest name
        write("k8s/.git/config.yaml", "apiVersion: v1\nkind: Secret\ndata: {k: dmFsdWU=}\n"); // hidden folder
        CommandRunner.Run run = CommandRunner.run("--format", "json", dir.resolve("k8s").toString());
        JsonNode report = parse(run.out());
        assertThat(report.at("/summary/sources").asInt()).isEqualTo(4);
        assertThat(report.at("/summary/objects").asInt()).isEqualTo(3);
        assertThat(report.get("findings").findValuesAsText("ruleId")).contains("SR-SEC-001", "SR-POD-001", "SR-INPUT-001");
        JsonNode parse = null;
        for (JsonNode f : report.get("findings")) if (f.get("ruleId").asText().equals("SR-INPUT-001")) parse = f;
        assertThat(parse.at("/location/file").asText()).endsWith("broken.yaml");
        assertThat(parse.at("/location/line").asInt()).isEqualTo(5);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void outputFileReceivesTheReport() throws IOException {
        Path out = dir.resolve("results.sarif");
        CommandRunner.Run run = CommandRunner.run("--format", "sarif", "-o", out.toString(),
                write("pod.yaml", resource("seeds/000-pod-secret-env.yaml")).toString());
        assertThat(run.out()).isEmpty();
        assertThat(parse(Files.readString(out)).at("/version").asText()).isEqualTo("2.1.0");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void suppressionAnnotationSilencesAFindingButKeepsItVisible() throws IOException {
        String pod = resource("seeds/000-pod-secret-env.yaml").replace("  name: my-app-pod\n",
                "  name: my-app-pod\n  annotations:\n    strongroom.dev/ignore: SR-POD-001, SR-POD-004\n"
                        + "    strongroom.dev/ignore-reason: vendor image needs root; tracked in OPS-42\n");
        CommandRunner.Run run = CommandRunner.run("--format", "json", write("pod.yaml", pod).toString());
        assertThat(run.exitCode()).isZero(); // SR-POD-001 was the only high finding
        JsonNode report = parse(run.out());
        assertThat(report.at("/summary/suppressed").asInt()).isEqualTo(2);
        for (JsonNode f : report.get("findings")) {
            boolean expected = f.get("ruleId").asText().equals("SR-POD-001") || f.get("ruleId").asText().equals("SR-POD-004");
            assertThat(f.get("suppressed").asBoolean()).as(f.get("ruleId").asText()).isEqualTo(expected);
            if (expected) assertThat(f.get("suppressionReason").asText()).isEqualTo("vendor image needs root; tracked in OPS-42");
        }
        CommandRunner.Run table = CommandRunner.run("--brief", write("pod2.yaml", pod).toString());
        assertThat(table.out()).contains("[suppressed]", "2 suppressed");
    }

    @Test
    void configFileDisablesRulesOverridesSeverityAndSetsOptions() throws IOException {
        Path config = write("scan.yaml", """
                failOn: medium
                rules:
                  disable: [SR-POD-001, SR-NET-003]
                  severity: {SR-IMG-002: high}
                options:
                  allowedRegistries: [registry.example.com]
                """);
        CommandRunner.Run run = CommandRunner.run("--config", config.toString(), "--format", "json",
                write("pod.yaml", resource("seeds/000-pod-secret-env.yaml")).toString());
        JsonNode report = parse(run.out());
        assertThat(report.get("findings").findValuesAsText("ruleId")).doesNotContain("SR-POD-001", "SR-NET-003").contains("SR-IMG-003");
        for (JsonNode f : report.get("findings")) {
            if (f.get("ruleId").asText().equals("SR-IMG-002")) assertThat(f.get("severity").asText()).isEqualTo("high");
        }
        assertThat(report.at("/summary/failOn").asText()).isEqualTo("medium");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void enableRunsOnlyTheNamedRules() throws IOException {
        Path pod = write("pod.yaml", resource("seeds/000-pod-secret-env.yaml"));
        JsonNode report = parse(CommandRunner.run("--enable", "SR-POD-003,SR-IMG-001", "--format", "json", pod.toString()).out());
        assertThat(report.get("findings").findValuesAsText("ruleId")).containsExactly("SR-POD-003", "SR-IMG-001");
        Path config = write("only.yaml", "rules:\n  enable: [SR-SEC-004]\n");
        JsonNode fromConfig = parse(CommandRunner.run("--config", config.toString(), "--format", "json", pod.toString()).out());
        assertThat(fromConfig.get("findings").findValuesAsText("ruleId")).containsExactly("SR-SEC-004", "SR-SEC-004");
    }

    @Test
    void aTypoInTheConfigFileIsAnErrorNotASilentlyDisabledCheck() throws IOException {
        Path config = write("scan.yaml", "rules:\n  disabled: [SR-POD-001]\n");
        CommandRunner.Run run = CommandRunner.run("--config", config.toString(), "-");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key 'rules.disabled'");
    }

    @Test
    void restrictedProfileReplacesThePodRulesWithThePodSecurityStandard() throws IOException {
        CommandRunner.Run run = CommandRunner.run("--profile", "restricted", "--format", "json",
                write("pod.yaml", resource("seeds/000-pod-secret-env.yaml")).toString());
        JsonNode report = parse(run.out());
        assertThat(report.get("findings").findValuesAsText("ruleId"))
                .contains("PSS-RUN-AS-NON-ROOT", "PSS-PRIVILEGE-ESCALATION", "PSS-SECCOMP-RESTRICTED", "PSS-CAPABILITIES-RESTRICTED")
                .noneMatch(id -> id.startsWith("SR-POD-"));
        CommandRunner.Run baseline = CommandRunner.run("--profile", "baseline", "--format", "json",
                write("pod2.yaml", resource("seeds/000-pod-secret-env.yaml")).toString());
        assertThat(parse(baseline.out()).get("findings").findValuesAsText("ruleId")).noneMatch(id -> id.startsWith("PSS-"));
    }

    @Test
    void junitReportIsWellFormedAndCountsFailingObjects() throws Exception {
        write("k8s/pod.yaml", resource("seeds/000-pod-secret-env.yaml"));
        write("k8s/clean.yaml", resource("fixtures/clean.yaml"));
        write("k8s/broken.yaml", "kind: [\n");
        CommandRunner.Run run = CommandRunner.run("--format", "junit", dir.resolve("k8s").toString());
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(run.out())));
        var root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("7");   // 1 pod + 5 clean objects + 1 unparsable file
        assertThat(root.getAttribute("failures")).isEqualTo("1"); // the pod: SR-POD-001 at or above high
        assertThat(root.getAttribute("errors")).isEqualTo("1");   // the broken file
        assertThat(xml.getElementsByTagName("testsuite").getLength()).isEqualTo(3);
    }

    @Test
    void noFullSecretValueAppearsInAnyFormat() throws IOException {
        Path leaky = write("leaky.yaml", resource("fixtures/leaky.yaml"));
        String[] values = {"Hx9#Qm2$Vr7!Lp4Z", "ghp_R8vXq2LmN4pT7wYz1aBcD3eFgH5iJkL6mN9o", "AKIAZ7XQ3RWTN4VJ2K5M", "Wq3!Zt8#Kp5",
                "Yt6$Rb3#Nm9!Qc2W", "Wq3%21Zt8"};
        for (String format : new String[] {"table", "json", "sarif", "junit"}) {
            CommandRunner.Run run = CommandRunner.run("--format", format, leaky.toString());
            assertThat(run.out()).as(format).contains("SR-SEC-00");
            for (String v : values) assertThat(run.out()).as(format).doesNotContain(v);
        }
        String table = CommandRunner.run("--brief", leaky.toString()).out();
        assertThat(table).contains("AWS access key ID in data.AWS_ACCESS_KEY_ID: AKIA… (20 chars)", "GitHub token in annotation ci/token",
                "connection string with password in data.DATABASE_URL", "assignment to \"app.client-secret\"");
    }

    @Test
    void colourOnlyWhenAskedOrOnATerminal() throws IOException {
        Path pod = write("pod.yaml", resource("seeds/000-pod-secret-env.yaml"));
        assertThat(CommandRunner.run(pod.toString()).out()).doesNotContain("\u001b[");
        assertThat(CommandRunner.run("--color", "always", pod.toString()).out()).contains("\u001b[31mHIGH");
    }

    @Test
    void tableGroupsFindingsByObjectAndExplainsEachRuleOnce() throws IOException {
        String out = CommandRunner.run(write("pod.yaml", resource("seeds/000-pod-secret-env.yaml")).toString()).out();
        assertThat(out).startsWith("Pod default/my-app-pod  (");
        assertThat(out).contains("SR-POD-003", "pod.yaml:7:5", "why: Unless allowPrivilegeEscalation is explicitly false",
                "fix:\n", "allowPrivilegeEscalation: false");
        assertThat(out.split("why: Environment variables are fixed", -1)).hasSize(2); // SR-SEC-004 twice, explained once
        assertThat(out).contains("15 findings (1 high, 7 medium, 7 low) in 1 object from 1 source; failing: 1 at or above high");
    }

    @Test
    void apiServerFlagFilesNamedOnTheCommandLineAreChecked() throws IOException {
        Path unit = write("kube-apiserver.service", """
                [Service]
                ExecStart=/usr/local/bin/kube-apiserver \\
                  --authorization-mode=AlwaysAllow \\
                  --encryption-provider-config=/etc/kubernetes/enc.yaml
                """);
        JsonNode report = parse(CommandRunner.run("--format", "json", unit.toString()).out());
        assertThat(report.get("findings").findValuesAsText("ruleId")).containsExactlyInAnyOrder("SR-API-001", "SR-API-002", "SR-API-004");
        for (JsonNode f : report.get("findings")) {
            if (f.get("ruleId").asText().equals("SR-API-002")) assertThat(f.at("/location/line").asInt()).isEqualTo(3);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
