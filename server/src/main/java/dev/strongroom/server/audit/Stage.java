package dev.strongroom.server.audit;

/** {@code audit.k8s.io/v1} Stage. */
public enum Stage {
    RequestReceived, ResponseStarted, ResponseComplete, Panic
}
