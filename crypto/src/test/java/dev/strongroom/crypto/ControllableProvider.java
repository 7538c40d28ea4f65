package dev.strongroom.crypto;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link KeyProvider} with failure injection and call counting, for the behaviours a local key file cannot
 * produce by itself: a KMS plugin that is down, one that wraps under a key id it does not report, or returns invalid
 * annotations. Everything it does not override goes to the wrapped provider unchanged.
 */
class ControllableProvider implements KeyProvider {

    final KeyProvider delegate;
    final AtomicInteger wraps = new AtomicInteger();
    final AtomicInteger unwraps = new AtomicInteger();
    volatile RuntimeException failCurrentKeyId;
    volatile RuntimeException failWrap;
    /** When set, wrap() reports this key id instead of the real one (a misbehaving plugin). */
    volatile String wrapKeyIdOverride;
    volatile Map<String, byte[]> wrapAnnotationsOverride;

    ControllableProvider(KeyProvider delegate) { this.delegate = delegate; }

    @Override public String name() { return delegate.name(); }

    @Override
    public String currentKeyId() {
        RuntimeException f = failCurrentKeyId;
        if (f != null) throw f;
        return delegate.currentKeyId();
    }

    @Override
    public WrappedSeed wrap(byte[] seed) {
        wraps.incrementAndGet();
        RuntimeException f = failWrap;
        if (f != null) throw f;
        WrappedSeed w = delegate.wrap(seed);
        String id = wrapKeyIdOverride;
        var annotations = wrapAnnotationsOverride;
        return new WrappedSeed(id != null ? id : w.keyId(), w.ciphertext(),
                annotations != null ? annotations : w.annotations());
    }

    @Override
    public byte[] unwrap(WrappedSeed wrapped) {
        unwraps.incrementAndGet();
        return delegate.unwrap(wrapped);
    }
}
