package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.30. */
class AccessControlKubectl130Test extends AccessControlCompatibility {
    AccessControlKubectl130Test() {
        super("1.30");
    }
}
