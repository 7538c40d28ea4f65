package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.32. */
class AccessControlKubectl132Test extends AccessControlCompatibility {
    AccessControlKubectl132Test() {
        super("1.32");
    }
}
