package dev.strongroom.e2e;

/** Certificate, OIDC and service-account users under RBAC, and the can-i matrix, with kubectl 1.29. */
class AccessControlKubectl129Test extends AccessControlCompatibility {
    AccessControlKubectl129Test() {
        super("1.29");
    }
}
