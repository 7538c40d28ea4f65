package dev.strongroom.e2e;

/** The seed commands with kubectl 1.30. */
class SeedCommandsKubectl130Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl130Test() {
        super("1.30");
    }
}
