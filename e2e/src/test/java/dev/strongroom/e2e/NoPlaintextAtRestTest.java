package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No plaintext at rest: after the seed commands, no file in the data directory (the database, its -wal and -shm, the
 * key file, the PKI, the kubeconfig, anything) contains a secret value, nor its base64 — padded, unpadded, URL-safe, or
 * embedded at any offset inside a larger base64 text (as a password inside .dockerconfigjson is).
 *
 * <p>The search is shown to work before it is trusted: it must find every form of a value in canary files planted in
 * the data directory, and the secrets' store keys (which are not secret, and stay in the clear as etcd's do) in the
 * store files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoPlaintextAtRestTest {
    /** Needles shorter than this could occur by chance in kilobytes of ciphertext or base64 text. */
    private static final int MIN_NEEDLE = 6;

    private Path root;
    private TestServer server;
    private Kubectl kubectl;
    /** Secret values the seed commands store, by a name for messages. */
    private final Map<String, byte[]> values = new LinkedHashMap<>();

    @BeforeAll
    void runSeedCommands() throws IOException {
        root = Files.createTempDirectory("strongroom-e2e-plaintext-");
        server = TestServer.start(root);
        // kubectl 1.31: the newest client that sends JSON bodies for create; what matters here is what the server
        // stores, not the wire format (the compatibility tests cover every client).
        kubectl = server.kubectl("1.31", root.resolve("work"));
        Path work = kubectl.workDir();
        Fixtures.writeSeedFiles(work);
        ok("create", "secret", "generic", "my-secret", "--from-literal=username=myuser", "--from-literal=password=mypassword");
        ok("create", "secret", "generic", "db-user-pass", "--from-file=./username.txt", "--from-file=./password.txt");
        ok("create", "secret", "generic", "tls-secret", "--from-file=tls.crt=./tls.crt", "--from-file=tls.key=./tls.key");
        ok("create", "secret", "tls", "my-tls-secret", "--cert=./tls.crt", "--key=./tls.key");
        ok("create", "secret", "docker-registry", "my-registry-secret", "--docker-server=registry.example.com",
                "--docker-username=myuser", "--docker-password=mypassword", "--docker-email=myuser@example.com");
        ok("apply", "-f", "secret-apply.yaml");
        ok("apply", "-f", "secret-apply-v2.yaml");
        ok("patch", "secret", "my-secret", "-p", "{\"stringData\":{\"extra\":\"extra-value-7c1e\"}}");
        ok("create", "secret", "generic", "rotated", "--from-literal=token=first-token-4d2a");
        // An old value overwritten, then the secret deleted: neither may linger in the clear (e.g. in free pages).
        ok("patch", "secret", "rotated", "-p", "{\"stringData\":{\"token\":\"second-token-9b3f\"}}");
        ok("delete", "secret", "rotated");

        values.put("mypassword", bytes("mypassword"));
        values.put("myuser", bytes("myuser"));
        values.put("docker auth myuser:mypassword", bytes("myuser:mypassword"));
        values.put("password.txt", Files.readAllBytes(work.resolve("password.txt")));
        values.put("tls.key", Fixtures.tlsKey());
        values.put("tls.crt", Fixtures.tlsCrt());
        // Every line of the PEM bodies alone: a partial copy of the key would show too.
        pemLines("tls.key", Fixtures.tlsKey());
        pemLines("tls.crt", Fixtures.tlsCrt());
        values.put("secret-apply password", bytes("1f2d1e2e67df"));
        values.put("secret-apply-v2 password", bytes("new-password"));
        values.put("patched stringData", bytes("extra-value-7c1e"));
        values.put("overwritten token", bytes("first-token-4d2a"));
        values.put("deleted secret's token", bytes("second-token-9b3f"));
        // Not searched, because they are not distinctive: "admin" (also the kubeconfig's user name "strongroom-admin"),
        // "value"-like words, one- and two-letter values.

        // The values really are stored (else finding nothing proves nothing).
        Kubectl.Result r = kubectl.run("get", "secret", "my-tls-secret", "-o", "jsonpath={.data.tls\\.key}");
        assertThat(Base64.getDecoder().decode(r.stdout())).as("%s", r).isEqualTo(Fixtures.tlsKey());
        Kubectl.Result d = kubectl.run("get", "secret", "my-registry-secret", "-o", "jsonpath={.data.\\.dockerconfigjson}");
        assertThat(new String(Base64.getDecoder().decode(d.stdout()), StandardCharsets.UTF_8)).as("%s", d).contains("\"password\":\"mypassword\"");
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) server.close();
        Fixtures.deleteTree(root);
    }

    private void ok(String... args) {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private void pemLines(String name, byte[] pem) {
        int n = 0;
        for (String line : new String(pem, StandardCharsets.US_ASCII).split("\n")) {
            if (!line.startsWith("-----") && line.length() >= 16) values.put(name + " PEM line " + (++n), bytes(line));
        }
    }

    @Test
    @Order(1)
    void theSearchFindsEveryFormOfAValuePlantedOnPurpose() throws IOException {
        byte[] value = values.get("mypassword");
        SecureRandom random = new SecureRandom();
        Path top = server.dataDir().resolve("e2e-canary-raw.bin");
        Path nested = server.dataDir().resolve("keys").resolve("e2e-canary-b64.bin");
        List<Path> canaries = List.of(top, nested);
        try {
            // The raw bytes between random bytes, at the top; the value's base64 as part of a larger base64 text
            // (shifted by one byte, like a password inside .dockerconfigjson), in a subdirectory.
            Files.write(top, concat(randomBytes(random, 1000), value, randomBytes(random, 1000)));
            byte[] embedded = Base64.getEncoder().encode(concat(new byte[]{'x'}, value, bytes("-tail")));
            Files.write(nested, concat(randomBytes(random, 500), embedded, randomBytes(random, 500)));
            Map<String, Set<Path>> found = search(server.dataDir(), Map.of("mypassword", value));
            assertThat(found.get("mypassword")).as("raw and shifted-base64 canaries found, including in a subdirectory")
                    .containsExactlyInAnyOrderElementsOf(canaries);

            // Each needle form on its own, so none of them is vacuous.
            for (byte[] form : List.of(Base64.getEncoder().encode(value),
                    Base64.getEncoder().withoutPadding().encode(value),
                    Base64.getUrlEncoder().withoutPadding().encode(value),
                    Base64.getEncoder().encode(concat(bytes("ab"), value, bytes("z"))))) {
                Files.write(top, concat(randomBytes(random, 300), form, randomBytes(random, 300)));
                Files.delete(nested);
                assertThat(search(server.dataDir(), Map.of("mypassword", value)).get("mypassword"))
                        .as("the needle form %s is found", new String(form, StandardCharsets.US_ASCII)).containsExactly(top);
                Files.write(nested, new byte[0]);
            }
        } finally {
            for (Path c : canaries) Files.deleteIfExists(c);
        }
    }

    @Test
    @Order(2)
    void theStoreFilesAreWhatIsSearched() {
        // Control: the store keys of the secrets are in the clear in the database or its WAL, so the search does
        // read what the server wrote.
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : List.of("my-secret", "my-tls-secret", "my-registry-secret")) {
            keys.put(name, bytes("/registry/secrets/default/" + name));
        }
        Map<String, Set<Path>> found = search(server.dataDir(), keys);
        for (String name : keys.keySet()) {
            assertThat(found.get(name)).as("store key of %s found in the store files", name).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("strongroom.db"));
        }
    }

    @Test
    @Order(3)
    void noValueIsInAnyFileWhileTheServerRuns() {
        assertThat(listFiles(server.dataDir())).as("the database and its WAL are there")
                .anySatisfy(p -> assertThat(p.getFileName().toString()).isEqualTo("strongroom.db"))
                .anySatisfy(p -> assertThat(p.getFileName().toString()).isEqualTo("strongroom.db-wal"));
        assertThat(search(server.dataDir(), values)).as("files holding a secret value or its base64").isEmpty();
    }

    @Test
    @Order(4)
    void noValueIsInAnyFileAfterAnOrderlyStop() {
        // Closing checkpoints the WAL into the database: the search runs again on what stays on disk.
        server.close();
        server = null;
        assertThat(search(root.resolve("data"), values)).as("files holding a secret value or its base64").isEmpty();
        Map<String, Set<Path>> keys = search(root.resolve("data"), Map.of("key", bytes("/registry/secrets/default/my-secret")));
        assertThat(keys).as("control: the store key is still found").containsKey("key");
    }

    // ---------------------------------------------------------------------------------------------- the search

    /** For each value that occurs in some form in some file under {@code dir}: the files. */
    static Map<String, Set<Path>> search(Path dir, Map<String, byte[]> values) {
        // Bytes as ISO-8859-1 text: one char per byte, so String.indexOf is an exact (and fast) byte search.
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path p : listFiles(dir)) {
            try {
                files.put(p, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Set<Path>> found = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> v : values.entrySet()) {
            List<String> needles = needles(v.getValue()).stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
            for (Map.Entry<Path, String> f : files.entrySet()) {
                for (String n : needles) {
                    if (f.getValue().contains(n)) {
                        found.computeIfAbsent(v.getKey(), k -> new LinkedHashSet<>()).add(f.getKey());
                        break;
                    }
                }
            }
        }
        return found;
    }

    static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The forms a value can take at rest: the bytes; their standard base64 with and without padding and URL-safe;
     * and, for a value embedded at an unknown offset inside a larger base64-encoded text, the part of its encoding
     * that does not depend on the neighbouring bytes, for each of the three alignments.
     */
    static List<byte[]> needles(byte[] value) {
        List<byte[]> n = new ArrayList<>();
        n.add(value);
        n.add(Base64.getEncoder().encode(value));
        n.add(Base64.getEncoder().withoutPadding().encode(value));
        n.add(Base64.getUrlEncoder().withoutPadding().encode(value));
        for (int shift = 0; shift < 3; shift++) {
            // Encode with `shift` bytes before the value; skip the group that mixes them in, and the last group if
            // it mixes in what follows.
            byte[] shifted = Base64.getEncoder().withoutPadding().encode(concat(new byte[shift], value));
            int from = shift == 0 ? 0 : 4;
            int whole = (shift + value.length) / 3 * 4;
            if (whole - from >= MIN_NEEDLE) n.add(Arrays.copyOfRange(shifted, from, whole));
        }
        n.removeIf(b -> b.length < MIN_NEEDLE);
        return n;
    }

    private static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) len += p.length;
        byte[] out = new byte[len];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] randomBytes(SecureRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
