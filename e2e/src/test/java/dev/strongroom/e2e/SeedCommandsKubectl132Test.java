package dev.strongroom.e2e;

/** The seed commands with kubectl 1.32. */
class SeedCommandsKubectl132Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl132Test() {
        super("1.32");
    }
}
