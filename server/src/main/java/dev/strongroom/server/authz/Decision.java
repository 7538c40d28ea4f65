package dev.strongroom.server.authz;

/** An authorizer's answer with the reason upstream would give ("RBAC: allowed by ..."), possibly empty. */
public record Decision(boolean allowed, String reason) {
    public static Decision allow(String reason) { return new Decision(true, reason); }
    public static Decision deny(String reason) { return new Decision(false, reason); }
}
