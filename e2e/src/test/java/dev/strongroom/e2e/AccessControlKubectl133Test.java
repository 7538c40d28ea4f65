package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.33. */
class AccessControlKubectl133Test extends AccessControlCompatibility {
    AccessControlKubectl133Test() {
        super("1.33");
    }
}
