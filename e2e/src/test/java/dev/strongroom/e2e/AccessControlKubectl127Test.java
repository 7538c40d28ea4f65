package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.27. */
class AccessControlKubectl127Test extends AccessControlCompatibility {
    AccessControlKubectl127Test() {
        super("1.27");
    }
}
