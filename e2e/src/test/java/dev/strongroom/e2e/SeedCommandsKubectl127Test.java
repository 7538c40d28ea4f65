package dev.strongroom.e2e;

/** The seed commands with kubectl 1.27. */
class SeedCommandsKubectl127Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl127Test() {
        super("1.27");
    }
}
