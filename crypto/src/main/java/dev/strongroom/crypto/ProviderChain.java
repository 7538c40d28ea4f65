package dev.strongroom.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Several KMS v2 providers in order, with the semantics of an EncryptionConfiguration provider list: new values are
 * written by the first; a stored value is read by the provider whose prefix it carries, and is stale unless that is
 * the first. This is how data moves between providers (say from the local key file to a KMS plugin): put the new one
 * first, rewrite every stale value, then drop the old one. Values no provider claims are rejected, never passed
 * through: encryption at rest is not optional.
 */
public final class ProviderChain implements ValueTransformer {

    private final List<EnvelopeTransformer> transformers;
    private final byte[][] prefixes;

    public ProviderChain(List<EnvelopeTransformer> transformers) {
        this.transformers = List.copyOf(transformers);
        if (this.transformers.isEmpty()) throw new IllegalArgumentException("at least one provider is required");
        this.prefixes = this.transformers.stream().map(t -> t.prefix().getBytes(StandardCharsets.US_ASCII))
                .toArray(byte[][]::new);
        if (new HashSet<>(this.transformers.stream().map(EnvelopeTransformer::prefix).toList()).size()
                != this.transformers.size()) {
            throw new IllegalArgumentException("provider names must be unique: " + this);
        }
    }

    @Override
    public byte[] transformToStorage(byte[] plaintext, byte[] associatedData) {
        return transformers.get(0).transformToStorage(plaintext, associatedData);
    }

    @Override
    public FromStorage transformFromStorage(byte[] stored, byte[] associatedData) {
        Objects.requireNonNull(stored, "stored");
        for (int i = 0; i < prefixes.length; i++) {
            byte[] p = prefixes[i];
            if (stored.length >= p.length && Arrays.equals(stored, 0, p.length, p, 0, p.length)) {
                FromStorage read = transformers.get(i).transformFromStorage(stored, associatedData);
                return i == 0 ? read : new FromStorage(read.plaintext(), true);
            }
        }
        throw new DecryptionException("stored value matches none of the configured providers (" + names() + ")");
    }

    private String names() {
        return transformers.stream().map(EnvelopeTransformer::prefix).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "ProviderChain[" + names() + "]";
    }
}
