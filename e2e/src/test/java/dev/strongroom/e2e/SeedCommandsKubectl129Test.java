package dev.strongroom.e2e;

/** The seed commands with kubectl 1.29. */
class SeedCommandsKubectl129Test extends SeedCommandsCompatibility {
    SeedCommandsKubectl129Test() {
        super("1.29");
    }
}
