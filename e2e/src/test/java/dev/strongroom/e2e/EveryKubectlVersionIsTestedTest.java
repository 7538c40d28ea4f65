package dev.strongroom.e2e;

import dev.strongroom.testkit.Kubectl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed-command and access-control suites are parameterised by subclassing: one concrete subclass each per
 * supported kubectl version.
 */
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

    @Test
    void eachVersionHasItsAccessControlSuite() throws Exception {
        for (String v : Kubectl.VERSIONS) {
            String name = "dev.strongroom.e2e.AccessControlKubectl" + v.replace(".", "") + "Test";
            Class<?> suite = Class.forName(name);
            assertThat(AccessControlCompatibility.class).as(name).isAssignableFrom(suite);
            var ctor = suite.getDeclaredConstructor();
            ctor.setAccessible(true);
            assertThat(((AccessControlCompatibility) ctor.newInstance()).version()).as(name).isEqualTo(v);
        }
    }
}
