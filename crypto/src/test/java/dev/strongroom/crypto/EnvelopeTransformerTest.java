package dev.strongroom.crypto;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import java.io.UncheckedIOException;
import java.io.IOException;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.strongroom.crypto.EncryptedObject.DekSourceType;
import dev.strongroom.crypto.ValueTransformer.FromStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeTransformerTest {

    private static final String SECRET = "correct horse battery staple / s3cr3t-Value-4711";
    private static final byte[] PLAINTEXT = SECRET.getBytes(UTF_8);
    private static final byte[] AD = key("default", "db-password");

    @TempDir Path dir;
    private LocalKeyProvider provider;
    private EnvelopeTransformer transformer;

    @BeforeEach
    void setUp() {
        provider = LocalKeyProvider.loadOrCreate(dir.resolve("keys"));
        transformer = new EnvelopeTransformer(provider);
    }

    private static byte[] key(String namespace, String name) {
        return ("/registry/secrets/" + namespace + "/" + name).getBytes(UTF_8);
    }

    private static EncryptedObject parse(byte[] stored, String providerName) {
        int prefix = ("k8s:enc:kms:v2:" + providerName + ":").length();
        return EncryptedObject.decode(stored, prefix, stored.length - prefix);
    }

    // ---------------------------------------------------------------------------------------------- round trips

    @Test
    void roundTripsValuesOfAnySize() {
        for (int size : new int[] {0, 1, 1024, 70_000, 1 << 20}) {
            byte[] plaintext = new byte[size];
            Arrays.fill(plaintext, (byte) size);
            byte[] stored = transformer.transformToStorage(plaintext, AD);

            FromStorage read = transformer.transformFromStorage(stored, AD);

            assertThat(read.plaintext()).as("size %d", size).isEqualTo(plaintext);
            assertThat(read.stale()).isFalse();
        }
    }

    @Test
    void storedValueIsTheKmsV2PrefixAndAnUpstreamEncryptedObject() {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);

        assertThat(new String(stored, 0, 21, UTF_8)).isEqualTo("k8s:enc:kms:v2:local:");
        assertThat(transformer.prefix()).isEqualTo("k8s:enc:kms:v2:local:");
        EncryptedObject o = parse(stored, "local");
        assertThat(o.keyId()).isEqualTo(provider.currentKeyId());
        assertThat(o.dekSourceType()).isEqualTo(DekSourceType.HKDF_SHA256_XNONCE_AES_GCM_SEED);
        assertThat(o.annotations()).isEmpty();
        assertThat(o.encryptedData()).hasSize(32 + 12 + PLAINTEXT.length + 16);
        assertThat(o.encryptedDekSource()).hasSize(12 + 32 + 16); // the local provider's wrapped seed
    }

    /** Decrypts our output the way kube-apiserver does, step by step with plain JCE, to pin the format. */
    @Test
    void writtenValueDecryptsWithTheUpstreamAlgorithmDoneByHand() throws Exception {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        EncryptedObject o = parse(stored, "local");
        byte[] seed = provider.unwrap(new KeyProvider.WrappedSeed(o.keyId(), o.encryptedDekSource(), Map.of()));
        byte[] data = o.encryptedData();

        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(seed, "HmacSHA256"));
        hmac.update(data, 0, 32);                                  // info
        byte[] dataKey = hmac.doFinal(new byte[] {1});             // HKDF-Expand, one block
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, data, 32, 12));
        gcm.updateAAD(AD);

        assertThat(gcm.doFinal(data, 44, data.length - 44)).isEqualTo(PLAINTEXT);
    }

    // ------------------------------------------------------------------------------------ integrity and secrecy

    @Test
    void aValueCopiedUnderAnotherKeyDoesNotDecrypt() {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);

        Throwable thrown = catchThrowable(() -> transformer.transformFromStorage(stored, key("default", "other")));

        assertThat(thrown).isInstanceOf(DecryptionException.class).hasMessageContaining("failed authentication");
        assertNoData(thrown);
        assertThatThrownBy(() -> transformer.transformFromStorage(stored, key("kube-system", "db-password")))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void alteringAnyByteOrTruncatingFails() {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        for (int i = 0; i < stored.length; i++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] tampered = stored.clone();
                tampered[i] ^= (byte) flip;
                Throwable thrown = catchThrowable(() -> transformer.transformFromStorage(tampered, AD));
                assertThat(thrown).as("byte %d ^ %02x", i, flip).isInstanceOf(DecryptionException.class);
                assertNoData(thrown);
            }
        }
        for (int n = 0; n < stored.length; n++) {
            byte[] cut = Arrays.copyOf(stored, n);
            assertThatThrownBy(() -> transformer.transformFromStorage(cut, AD)).as("truncated to %d", n)
                    .isInstanceOf(DecryptionException.class);
        }
    }

    @Test
    void twoEncryptionsDifferAndNeitherRevealsThePlaintext() {
        byte[] a = transformer.transformToStorage(PLAINTEXT, AD);
        byte[] b = transformer.transformToStorage(PLAINTEXT, AD);

        assertThat(a).isNotEqualTo(b);
        assertThat(parse(a, "local").encryptedData()).isNotEqualTo(parse(b, "local").encryptedData());
        for (byte[] stored : List.of(a, b)) {
            String asText = new String(stored, ISO_8859_1);
            assertThat(asText).doesNotContain(SECRET)
                    .doesNotContain(Base64.getEncoder().encodeToString(PLAINTEXT))
                    .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(PLAINTEXT))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(PLAINTEXT))
                    .doesNotContain("s3cr3t");
            assertThat(HexFormat.of().formatHex(stored)).doesNotContain(HexFormat.of().formatHex(PLAINTEXT));
        }
    }

    @Test
    void valuesFromElsewhereAreRejectedWithoutEchoingThem() {
        byte[] ours = transformer.transformToStorage(PLAINTEXT, AD);
        byte[] otherProvider = concat("k8s:enc:kms:v2:vault:".getBytes(UTF_8),
                Arrays.copyOfRange(ours, 21, ours.length));
        List<byte[]> foreign = List.of(
                PLAINTEXT,                                                       // unencrypted (identity)
                concat("k8s:enc:aescbc:v1:key1:".getBytes(UTF_8), PLAINTEXT),    // another scheme
                otherProvider,                                                   // another KMS v2 provider
                "k8s:enc:kms:v2:local".getBytes(UTF_8),                          // prefix without its colon
                new byte[0]);
        for (byte[] stored : foreign) {
            Throwable thrown = catchThrowable(() -> transformer.transformFromStorage(stored, AD));
            assertThat(thrown).isInstanceOf(DecryptionException.class)
                    .hasMessageContaining("does not start with k8s:enc:kms:v2:local:");
            assertNoData(thrown);
        }
    }

    // ------------------------------------------------------------------------------------------- keys and seeds

    @Test
    void oneSeedPerKeyIdAndProcessWrappedOnce() {
        ControllableProvider counting = new ControllableProvider(provider);
        EnvelopeTransformer t = new EnvelopeTransformer(counting);

        EncryptedObject first = parse(t.transformToStorage(PLAINTEXT, AD), "local");
        EncryptedObject second = parse(t.transformToStorage(PLAINTEXT, key("ns", "b")), "local");
        assertThat(counting.wraps.get()).isEqualTo(1);
        assertThat(second.encryptedDekSource()).isEqualTo(first.encryptedDekSource());

        String newId = provider.addKeyAndMakeCurrent();
        EncryptedObject third = parse(t.transformToStorage(PLAINTEXT, AD), "local");
        assertThat(counting.wraps.get()).isEqualTo(2);
        assertThat(third.keyId()).isEqualTo(newId).isNotEqualTo(first.keyId());
        assertThat(unwrap(third)).isNotEqualTo(unwrap(first));

        // A restart (a new transformer) uses a new seed even under the same key id, as kube-apiserver does.
        EncryptedObject afterRestart = parse(new EnvelopeTransformer(provider).transformToStorage(PLAINTEXT, AD), "local");
        assertThat(afterRestart.keyId()).isEqualTo(newId);
        assertThat(unwrap(afterRestart)).isNotEqualTo(unwrap(third));
    }

    private byte[] unwrap(EncryptedObject o) {
        return provider.unwrap(new KeyProvider.WrappedSeed(o.keyId(), o.encryptedDekSource(), o.annotations()));
    }

    @Test
    void valuesWrittenBeforeAKekRotationStillDecryptAndAreStale() {
        byte[] before = transformer.transformToStorage(PLAINTEXT, AD);
        assertThat(transformer.transformFromStorage(before, AD).stale()).isFalse();

        provider.addKeyAndMakeCurrent();

        FromStorage old = transformer.transformFromStorage(before, AD);
        assertThat(old.plaintext()).isEqualTo(PLAINTEXT);
        assertThat(old.stale()).isTrue(); // stale as soon as the KEK rotates, before any new write
        byte[] after = transformer.transformToStorage(PLAINTEXT, AD);
        assertThat(transformer.transformFromStorage(after, AD).stale()).isFalse();
        assertThat(transformer.transformFromStorage(before, AD).stale()).isTrue();

        // After a restart that reloads the key file: the same answers.
        EnvelopeTransformer restarted = new EnvelopeTransformer(LocalKeyProvider.loadOrCreate(provider.file()));
        assertThat(restarted.transformFromStorage(before, AD).plaintext()).isEqualTo(PLAINTEXT);
        assertThat(restarted.transformFromStorage(before, AD).stale()).isTrue();
        assertThat(restarted.transformFromStorage(after, AD).stale()).isFalse();
    }

    @Test
    void aMissingKekFailsWithADecryptionExceptionThatNamesTheKeyOnly() {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        EnvelopeTransformer elsewhere = new EnvelopeTransformer(LocalKeyProvider.loadOrCreate(dir.resolve("other-keys")));

        Throwable thrown = catchThrowable(() -> elsewhere.transformFromStorage(stored, AD));

        assertThat(thrown).isInstanceOf(DecryptionException.class)
                .hasMessageContaining("cannot unwrap the seed of key id \"" + provider.currentKeyId() + "\"")
                .hasMessageContaining("has no key");
        assertNoData(thrown);
    }

    @Test
    void aWrongKekUnderTheSameIdFailsWithADecryptionException() throws Exception {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        Path forged = dir.resolve("forged-keys");
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 42);
        Files.writeString(forged, "current " + provider.currentKeyId() + "\nkey " + provider.currentKeyId() + " "
                + Base64.getEncoder().encodeToString(otherKey) + "\n");
        Files.setPosixFilePermissions(forged, PosixFilePermissions.fromString("rw-------"));
        EnvelopeTransformer wrong = new EnvelopeTransformer(LocalKeyProvider.loadOrCreate(forged));

        Throwable thrown = catchThrowable(() -> wrong.transformFromStorage(stored, AD));

        assertThat(thrown).isInstanceOf(DecryptionException.class).hasMessageContaining("failed authentication");
        assertNoData(thrown);
        assertThat(thrown.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(otherKey));
    }

    @Test
    void readsUnwrapEachSeedOnceUntilTheCacheEntryExpires() {
        AtomicLong clock = new AtomicLong();
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        ControllableProvider counting = new ControllableProvider(provider);
        EnvelopeTransformer reader = new EnvelopeTransformer(counting, clock::get);

        for (int i = 0; i < 100; i++) assertThat(reader.transformFromStorage(stored, AD).plaintext()).isEqualTo(PLAINTEXT);
        assertThat(counting.unwraps.get()).isEqualTo(1);

        clock.addAndGet(SeedCache.TTL.toNanos() - 1);
        reader.transformFromStorage(stored, AD);
        assertThat(counting.unwraps.get()).isEqualTo(1);
        clock.addAndGet(1);
        reader.transformFromStorage(stored, AD);
        assertThat(counting.unwraps.get()).isEqualTo(2);
    }

    @Test
    void valuesUnderTheCurrentWriteSeedNeedNoUnwrap() {
        ControllableProvider counting = new ControllableProvider(provider);
        EnvelopeTransformer t = new EnvelopeTransformer(counting);
        byte[] stored = t.transformToStorage(PLAINTEXT, AD);
        int afterWrite = counting.unwraps.get(); // one read-back check of the new seed

        for (int i = 0; i < 10; i++) t.transformFromStorage(stored, AD);

        assertThat(afterWrite).isEqualTo(1);
        assertThat(counting.unwraps.get()).isEqualTo(1);
    }

    // --------------------------------------------------------------------------------- provider failures (KMS)

    @Test
    void writesCoastOnTheLastSeedForThreeMinutesWhileTheProviderFails() {
        AtomicLong clock = new AtomicLong();
        ControllableProvider flaky = new ControllableProvider(provider);
        EnvelopeTransformer t = new EnvelopeTransformer(flaky, clock::get);
        String oldId = parse(t.transformToStorage(PLAINTEXT, AD), "local").keyId();

        provider.addKeyAndMakeCurrent();
        flaky.failWrap = new IllegalStateException("kms plugin unavailable");
        assertThat(parse(t.transformToStorage(PLAINTEXT, AD), "local").keyId()).isEqualTo(oldId);
        assertThat(flaky.wraps.get()).isEqualTo(2);

        clock.addAndGet(Duration.ofSeconds(9).toNanos());
        t.transformToStorage(PLAINTEXT, AD);
        assertThat(flaky.wraps.get()).as("no retry within 10 s").isEqualTo(2);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        t.transformToStorage(PLAINTEXT, AD);
        assertThat(flaky.wraps.get()).as("one retry after 10 s").isEqualTo(3);

        clock.set(WriteSeeds.MAX_COAST.toNanos());
        assertThatThrownBy(() -> t.transformToStorage(PLAINTEXT, AD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failing for more than");
    }

    @Test
    void writesResumeUnderTheNewKeyWhenTheProviderRecovers() {
        AtomicLong clock = new AtomicLong();
        ControllableProvider flaky = new ControllableProvider(provider);
        EnvelopeTransformer t = new EnvelopeTransformer(flaky, clock::get);
        byte[] old = t.transformToStorage(PLAINTEXT, AD);
        String newId = provider.addKeyAndMakeCurrent();
        flaky.failWrap = new IllegalStateException("kms plugin unavailable");
        t.transformToStorage(PLAINTEXT, AD);

        flaky.failWrap = null;
        clock.addAndGet(WriteSeeds.RETRY_INTERVAL.toNanos());
        byte[] fresh = t.transformToStorage(PLAINTEXT, AD);

        assertThat(parse(fresh, "local").keyId()).isEqualTo(newId);
        assertThat(t.transformFromStorage(old, AD).plaintext()).isEqualTo(PLAINTEXT);
        assertThat(t.transformFromStorage(fresh, AD).stale()).isFalse();
    }

    @Test
    void aProviderWithoutAKeyFailsWritesButNotReads() {
        byte[] stored = transformer.transformToStorage(PLAINTEXT, AD);
        ControllableProvider down = new ControllableProvider(provider);
        down.failCurrentKeyId = new IllegalStateException("no status from the kms plugin yet");
        EnvelopeTransformer t = new EnvelopeTransformer(down);

        assertThatThrownBy(() -> t.transformToStorage(PLAINTEXT, AD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has not provided a key yet");
        FromStorage read = t.transformFromStorage(stored, AD);
        assertThat(read.plaintext()).isEqualTo(PLAINTEXT);
        assertThat(read.stale()).isFalse(); // unknown current key: do not trigger rewrites that cannot happen
    }

    @Test
    void beforeTheFirstSeedAFailingWrapIsRetriedAtMostEveryTenSeconds() {
        AtomicLong clock = new AtomicLong();
        ControllableProvider down = new ControllableProvider(provider);
        down.failWrap = new IllegalStateException("kms plugin unavailable");
        EnvelopeTransformer t = new EnvelopeTransformer(down, clock::get);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> t.transformToStorage(PLAINTEXT, AD)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kms plugin unavailable");
        }
        assertThat(down.wraps.get()).as("fails fast instead of waiting on the plugin each time").isEqualTo(1);

        down.failWrap = null;
        clock.addAndGet(WriteSeeds.RETRY_INTERVAL.toNanos());
        assertThat(t.transformFromStorage(t.transformToStorage(PLAINTEXT, AD), AD).plaintext()).isEqualTo(PLAINTEXT);
        assertThat(down.wraps.get()).isEqualTo(2);
    }

    @Test
    void aWrapUnderAKeyIdTheProviderDoesNotReportIsRefused() {
        ControllableProvider liar = new ControllableProvider(provider);
        liar.wrapKeyIdOverride = "some-other-key";
        EnvelopeTransformer t = new EnvelopeTransformer(liar);

        assertThatThrownBy(() -> t.transformToStorage(PLAINTEXT, AD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"some-other-key\"").hasMessageContaining(provider.currentKeyId());
    }

    @Test
    void annotationsKubernetesWouldRejectAreRefused() {
        ControllableProvider bad = new ControllableProvider(provider);
        bad.wrapAnnotationsOverride = Map.of("kms.example.io/audit-id", new byte[] {1});
        EnvelopeTransformer t = new EnvelopeTransformer(bad);

        assertThatThrownBy(() -> t.transformToStorage(PLAINTEXT, AD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would reject");
    }

    @Test
    void providerNamesFollowUpstreamRules() {
        ControllableProvider named = new ControllableProvider(provider) {
            @Override public String name() { return "a:b"; }
        };
        assertThatThrownBy(() -> new EnvelopeTransformer(named)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------- concurrency

    @Test
    void manyThreadsEncryptAndDecryptWhileTheKekRotates() throws Exception {
        int threads = 8;
        int perThread = 400;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<byte[]>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<byte[]> stored = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        byte[] plaintext = ("value-" + id + "-" + i).getBytes(UTF_8);
                        byte[] ad = key("ns" + id, "s" + i);
                        byte[] s = transformer.transformToStorage(plaintext, ad);
                        assertThat(transformer.transformFromStorage(s, ad).plaintext()).isEqualTo(plaintext);
                        stored.add(s);
                    }
                    return stored;
                }));
            }
            Future<?> rotator = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 5; i++) provider.addKeyAndMakeCurrent();
                return null;
            });
            start.countDown();
            rotator.get();
            for (int t = 0; t < threads; t++) {
                List<byte[]> stored = writers.get(t).get();
                for (int i = 0; i < perThread; i++) {
                    assertThat(transformer.transformFromStorage(stored.get(i), key("ns" + t, "s" + i)).plaintext())
                            .isEqualTo(("value-" + t + "-" + i).getBytes(UTF_8));
                }
            }
            assertThat(provider.keyIds()).hasSize(6);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** No plaintext, no key material: messages carry key ids and reasons only. */
    private void assertNoData(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(message).doesNotContain(SECRET).doesNotContain("s3cr3t")
                    .doesNotContain(Base64.getEncoder().encodeToString(PLAINTEXT));
            try {
                String keyFile = Files.readString(provider.file());
                for (String line : keyFile.split("\n")) {
                    if (line.startsWith("key ")) assertThat(message).doesNotContain(line.split(" ")[2]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
