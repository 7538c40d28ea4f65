package dev.strongroom.e2e;

/** The seed commands with kubectl 1.33. */
class SeedCommandsKubectl133Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl133Test() {
        super("1.33");
    }
}
