package dev.strongroom.server.authz;

/** Decides whether a request may proceed. */
public interface Authorizer {
    Decision authorize(Attributes attributes);
}
