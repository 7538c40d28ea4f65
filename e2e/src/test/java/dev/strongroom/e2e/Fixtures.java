package dev.strongroom.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files the seed commands read ({@code ./username.txt}, {@code ./tls.crt}, {@code secret-apply.yaml}, …).
 *
 * <p>Where the reference run shows a file's bytes, they are taken from the transcripts themselves, so that sizes
 * (describe's "1151 bytes") and base64 values (get -o yaml) can be compared exactly: username.txt and password.txt from
 * the data of db-user-pass in 32, tls.crt and tls.key from the data of my-tls-secret in 18. (The TLS key is a
 * throw-away key of the reference run, not a credential.)
 */
final class Fixtures {
    private Fixtures() {}

    /**
     * The reference did not record secret-apply.yaml. This reconstruction fits everything it shows: 21 "created", a
     * second apply of the same file "configured" (22 — so the file has stringData: the server converts it to data and
     * never returns it, so kubectl's three-way merge always finds something to send), and after secret-apply-v2.yaml
     * (23 "configured") exactly the object and last-applied-configuration of 24.
     */
    static final String SECRET_APPLY = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: mysecret-applied
              labels:
                app: demo
            type: Opaque
            stringData:
              username: admin
              password: 1f2d1e2e67df
            """;

    static final String SECRET_APPLY_V2 = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: mysecret-applied
              labels:
                app: demo
            type: Opaque
            data:
              username: YWRtaW4=
              password: bmV3LXBhc3N3b3Jk
            """;

    static void writeSeedFiles(Path dir) {
        try {
            Files.createDirectories(dir);
            JsonNode dbUserPass = ServerAccess.JSON.readTree(Transcript.load("32-raw-list-limit.txt").output()).path("items").path(0);
            if (!dbUserPass.path("metadata").path("name").asText().equals("db-user-pass")) throw new IllegalStateException("32 changed");
            Files.write(dir.resolve("username.txt"), decode(dbUserPass.path("data").path("username.txt").asText()));
            Files.write(dir.resolve("password.txt"), decode(dbUserPass.path("data").path("password.txt").asText()));
            Files.write(dir.resolve("tls.crt"), tlsCrt());
            Files.write(dir.resolve("tls.key"), tlsKey());
            Files.writeString(dir.resolve("secret-apply.yaml"), SECRET_APPLY);
            Files.writeString(dir.resolve("secret-apply-v2.yaml"), SECRET_APPLY_V2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] tlsCrt() { return tlsData("tls.crt"); }

    static byte[] tlsKey() { return tlsData("tls.key"); }

    private static byte[] tlsData(String key) {
        try {
            JsonNode tls = ServerAccess.YAML.readTree(Transcript.load("18-get-tls-yaml.txt").output());
            return decode(tls.path("data").path(key).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] decode(String b64) {
        if (b64.isEmpty()) throw new IllegalStateException("fixture value missing in the transcript");
        return Base64.getDecoder().decode(b64);
    }

    /** The body of the {@code <<'Y'} here-document in a transcript's command. */
    static String hereDocument(String command) {
        List<String> lines = command.lines().toList();
        if (!lines.getFirst().endsWith("<<'Y'")) throw new IllegalArgumentException("no here-document: " + command);
        StringBuilder body = new StringBuilder();
        for (String l : lines.subList(1, lines.size())) {
            if (l.equals("Y")) return body.toString();
            body.append(l).append('\n');
        }
        throw new IllegalArgumentException("unterminated here-document: " + command);
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
