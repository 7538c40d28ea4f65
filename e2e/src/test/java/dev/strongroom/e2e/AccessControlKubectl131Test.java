package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.31. */
class AccessControlKubectl131Test extends AccessControlCompatibility {
    AccessControlKubectl131Test() {
        super("1.31");
    }
}
