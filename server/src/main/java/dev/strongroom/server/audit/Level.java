package dev.strongroom.server.audit;

/** {@code audit.k8s.io/v1} Level, in increasing order of detail. */
public enum Level {
    None, Metadata, Request, RequestResponse;

    public boolean atLeast(Level l) { return compareTo(l) >= 0; }
}
