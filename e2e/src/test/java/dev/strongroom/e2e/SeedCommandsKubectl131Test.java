package dev.strongroom.e2e;

/** The seed commands with kubectl 1.31. */
class SeedCommandsKubectl131Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl131Test() {
        super("1.31");
    }
}
