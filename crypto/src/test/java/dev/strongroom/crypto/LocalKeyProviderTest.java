package dev.strongroom.crypto;

import static org.assertj.core.api.Assertions.catchThrowable;
import java.util.Base64;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strongroom.crypto.KeyProvider.WrappedSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyProviderTest {

    @TempDir Path dir;

    private static byte[] seed() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x5a);
        return seed;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createsAnOwnerOnlyKeyFileThatSaysToKeepItSecret() throws Exception {
        Path file = dir.resolve("state/keys");

        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(file);

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        String text = Files.readString(file);
        assertThat(text).startsWith("# Strongroom local key-encryption keys").contains("KEEP THIS FILE SECRET")
                .contains("current " + p.currentKeyId() + "\n").containsPattern("\nkey " + p.currentKeyId() + " \\S{44}\n");
        assertThat(p.name()).isEqualTo("local");
        assertThat(p.keyIds()).containsExactly(p.currentKeyId());
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void refusesAKeyFileOthersCanReadAndSaysHowToFixIt() throws Exception {
        Path file = dir.resolve("keys");
        LocalKeyProvider.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> LocalKeyProvider.loadOrCreate(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accessible by group or others").hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600 " + file.toAbsolutePath());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(LocalKeyProvider.loadOrCreate(file).keyIds()).hasSize(1);
    }

    @Test
    void reloadingGivesTheSameKeys() {
        Path file = dir.resolve("keys");
        LocalKeyProvider first = LocalKeyProvider.loadOrCreate(file);
        WrappedSeed wrapped = first.wrap(seed());

        LocalKeyProvider second = LocalKeyProvider.loadOrCreate(file);

        assertThat(second.currentKeyId()).isEqualTo(first.currentKeyId());
        assertThat(second.keyIds()).isEqualTo(first.keyIds());
        assertThat(second.unwrap(wrapped)).isEqualTo(seed());
    }

    @Test
    void wrapsWithAFreshNonceAndTheKeyIdAsAssociatedData() {
        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(dir.resolve("keys"));
        WrappedSeed a = p.wrap(seed());
        WrappedSeed b = p.wrap(seed());

        assertThat(a.keyId()).isEqualTo(p.currentKeyId());
        assertThat(a.ciphertext()).hasSize(12 + 32 + 16).isNotEqualTo(b.ciphertext());
        assertThat(a.annotations()).isEmpty();
        assertThat(p.unwrap(a)).isEqualTo(seed());

        String other = p.addKeyAndMakeCurrent();
        assertThatThrownBy(() -> p.unwrap(new WrappedSeed(other, a.ciphertext(), Map.of())))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void tamperedOrTruncatedWrappedSeedsFail() {
        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(dir.resolve("keys"));
        WrappedSeed w = p.wrap(seed());
        byte[] tampered = w.ciphertext().clone();
        tampered[20] ^= 1;

        assertThatThrownBy(() -> p.unwrap(new WrappedSeed(w.keyId(), tampered, Map.of())))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> p.unwrap(new WrappedSeed(w.keyId(), new byte[27], Map.of())))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("truncated");
    }

    @Test
    void anUnknownKeyIdNamesTheKeyAndTheFileButNoKeyMaterial() throws Exception {
        Path file = dir.resolve("keys");
        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(file);

        Throwable thrown = catchThrowable(() -> p.unwrap(new WrappedSeed("k9-deadbeef", new byte[60], Map.of())));

        assertThat(thrown).isInstanceOf(DecryptionException.class)
                .hasMessageContaining("\"k9-deadbeef\"").hasMessageContaining(file.toAbsolutePath().toString());
        String key = Files.readString(file).lines().filter(l -> l.startsWith("key ")).findFirst().orElseThrow()
                .split(" ")[2];
        assertThat(thrown.getMessage()).doesNotContain(key);
        assertThat(p.toString()).doesNotContain(key);
    }

    @Test
    void addKeyAndMakeCurrentRotatesKeepsOldKeysAndPersists() throws Exception {
        Path file = dir.resolve("keys");
        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(file);
        String oldId = p.currentKeyId();
        WrappedSeed old = p.wrap(seed());

        String newId = p.addKeyAndMakeCurrent();

        assertThat(newId).isNotEqualTo(oldId).matches("k2-[0-9a-f]{8}");
        assertThat(p.currentKeyId()).isEqualTo(newId);
        assertThat(p.keyIds()).containsExactly(oldId, newId);
        assertThat(p.wrap(seed()).keyId()).isEqualTo(newId);
        assertThat(p.unwrap(old)).isEqualTo(seed());
        assertThat(mode(file)).isEqualTo("rw-------");
        LocalKeyProvider reloaded = LocalKeyProvider.loadOrCreate(file);
        assertThat(reloaded.currentKeyId()).isEqualTo(newId);
        assertThat(reloaded.unwrap(old)).isEqualTo(seed());
    }

    @Test
    void aRotationByAnotherInstanceIsNeitherLostNorMissedAfterReload() {
        Path file = dir.resolve("keys");
        LocalKeyProvider server = LocalKeyProvider.loadOrCreate(file);
        LocalKeyProvider cli = LocalKeyProvider.loadOrCreate(file);

        String a = cli.addKeyAndMakeCurrent();
        String b = server.addKeyAndMakeCurrent(); // re-reads first, so a is kept

        assertThat(server.keyIds()).hasSize(3).contains(a, b);
        cli.reload();
        assertThat(cli.currentKeyId()).isEqualTo(b);
        assertThat(cli.keyIds()).isEqualTo(server.keyIds());
    }

    @Test
    void concurrentFirstStartsAgreeOnOneKeyFile() throws Exception {
        Path file = dir.resolve("keys");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    return LocalKeyProvider.loadOrCreate(file).currentKeyId();
                }));
            }
            start.countDown();
            String first = ids.get(0).get();
            for (Future<String> id : ids) assertThat(id.get()).isEqualTo(first);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void malformedKeyFilesAreRejectedWithoutEchoingTheirContent() throws Exception {
        String notAKey = "THIS-IS-SECRET-MATERIAL";
        assertMalformed("current k1\nkey k1 " + notAKey + "\n", "line 2: key k1 is not valid base64", notAKey);
        assertMalformed("current k1\nkey k1 " + Base64.getEncoder().encodeToString(new byte[16]) + "\n",
                "is not 32 bytes", null);
        assertMalformed("key k1 " + b64() + "\n", "no 'current <id>' line", null);
        assertMalformed("current k2\nkey k1 " + b64() + "\n", "names k2 as current, but has no such key", null);
        assertMalformed("current k1\nkey k1 " + b64() + "\nkey k1 " + b64() + "\n", "appears twice", null);
        assertMalformed("current k1\nkey k1 " + b64() + "\n" + notAKey + " oops\n",
                "line 3: expected 'key <id> <base64>' or 'current <id>'", notAKey);
    }

    @Test
    void acceptsCommentsBlankLinesAndHandEditedWhitespace() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# mine\n\n  current   a.b_c-1 \nkey\ta.b_c-1\t" + b64() + "\r\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        LocalKeyProvider p = LocalKeyProvider.loadOrCreate(file);

        assertThat(p.currentKeyId()).isEqualTo("a.b_c-1");
        assertThat(p.unwrap(p.wrap(seed()))).isEqualTo(seed());
    }

    private static String b64() {
        return Base64.getEncoder().encodeToString(new byte[32]);
    }

    private void assertMalformed(String content, String message, String mustNotAppear) throws Exception {
        Path file = Files.createTempFile(dir, "keys", "");
        Files.writeString(file, content, UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Throwable thrown = catchThrowable(() -> LocalKeyProvider.loadOrCreate(file));
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
        if (mustNotAppear != null) assertThat(thrown.getMessage()).doesNotContain(mustNotAppear);
    }
}
