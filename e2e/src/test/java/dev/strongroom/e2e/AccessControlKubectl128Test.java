package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.28. */
class AccessControlKubectl128Test extends AccessControlCompatibility {
    AccessControlKubectl128Test() {
        super("1.28");
    }
}
