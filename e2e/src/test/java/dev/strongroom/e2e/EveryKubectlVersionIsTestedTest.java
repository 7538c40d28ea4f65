package dev.strongroom.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed-command suite is parameterised by subclassing: one concrete subclass per supported kubectl version. */
class EveryKubectlVersionIsTestedTest {
    @Test
    void eachVersionHasItsSuiteAndItsBinary() throws Exception {
        for (String v : Kubectl.VERSIONS) {
            String name = "dev.strongroom.e2e.SeedCommandsKubectl" + v.replace(".", "") + "Test";
            Class<?> suite = Class.forName(name);
            assertThat(SeedCommandsCompatibility.class).as(name).isAssignableFrom(suite);
            var ctor = suite.getDeclaredConstructor();
            ctor.setAccessible(true);
            SeedCommandsCompatibility instance = (SeedCommandsCompatibility) ctor.newInstance();
            assertThat(instance.version()).as(name).isEqualTo(v);
            // Fails loudly (never skips) when a binary is missing.
            assertThat(Kubectl.binary(v)).isExecutable();
        }
    }
}
