package dev.strongroom.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderChainTest {

    private static final byte[] PLAINTEXT = "hunter2-but-longer".getBytes(UTF_8);
    private static final byte[] AD = "/registry/secrets/default/s".getBytes(UTF_8);

    @TempDir Path dir;

    /** Stands in for a second provider (a KMS plugin in production): same key file format, another name. */
    private KeyProvider renamed(KeyProvider delegate, String name) {
        return new ControllableProvider(delegate) {
            @Override public String name() { return name; }
        };
    }

    @Test
    void writesWithTheFirstAndReadsOthersAsStaleDuringAProviderMigration() {
        EnvelopeTransformer oldProvider = new EnvelopeTransformer(LocalKeyProvider.loadOrCreate(dir.resolve("old")));
        EnvelopeTransformer newProvider = new EnvelopeTransformer(
                renamed(LocalKeyProvider.loadOrCreate(dir.resolve("new")), "kms-plugin"));
        byte[] writtenBefore = oldProvider.transformToStorage(PLAINTEXT, AD);

        ProviderChain chain = new ProviderChain(List.of(newProvider, oldProvider));
        byte[] writtenAfter = chain.transformToStorage(PLAINTEXT, AD);

        assertThat(new String(writtenAfter, 0, 26, UTF_8)).isEqualTo("k8s:enc:kms:v2:kms-plugin:");
        ValueTransformer.FromStorage old = chain.transformFromStorage(writtenBefore, AD);
        assertThat(old.plaintext()).isEqualTo(PLAINTEXT);
        assertThat(old.stale()).isTrue();
        assertThat(chain.transformFromStorage(writtenAfter, AD).stale()).isFalse();
    }

    @Test
    void rejectsValuesNoProviderClaimsAndDuplicateNames() {
        EnvelopeTransformer local = new EnvelopeTransformer(LocalKeyProvider.loadOrCreate(dir.resolve("keys")));
        ProviderChain chain = new ProviderChain(List.of(local));

        assertThatThrownBy(() -> chain.transformFromStorage(PLAINTEXT, AD)).isInstanceOf(DecryptionException.class)
                .hasMessageContaining("none of the configured providers (k8s:enc:kms:v2:local:)")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new ProviderChain(List.of(local, local))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProviderChain(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
