package dev.strongroom.e2e;

/** The seed commands with kubectl 1.28. */
class SeedCommandsKubectl128Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl128Test() {
        super("1.28");
    }
}
