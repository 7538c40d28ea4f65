package dev.strongroom.scan.rules.pss;

import dev.strongroom.scan.rules.Rule;
import java.util.ArrayList;
import java.util.List;

/** The Pod Security Standards as rule lists, for {@code --profile baseline|restricted}. */
public final class PssRules {
    private PssRules() {}

    public static List<Rule> baseline() {
        return List.of(new BaselineControls.HostProcess(), new BaselineControls.HostNamespaces(),
                new BaselineControls.Privileged(), new BaselineControls.Capabilities(), new BaselineControls.HostPath(),
                new BaselineControls.HostPorts(), new BaselineControls.AppArmor(), new BaselineControls.SeLinux(),
                new BaselineControls.ProcMount(), new BaselineControls.Seccomp(), new BaselineControls.Sysctls());
    }

    /** Restricted = every baseline control plus the restricted ones, as the standard defines it. */
    public static List<Rule> restricted() {
        List<Rule> all = new ArrayList<>(baseline());
        all.addAll(List.of(new RestrictedControls.VolumeTypes(), new RestrictedControls.PrivilegeEscalation(),
                new RestrictedControls.RunAsNonRoot(), new RestrictedControls.RunAsUser(), new RestrictedControls.Seccomp(),
                new RestrictedControls.Capabilities()));
        return all;
    }
}
