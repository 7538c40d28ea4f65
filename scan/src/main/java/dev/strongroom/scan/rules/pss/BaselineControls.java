package dev.strongroom.scan.rules.pss;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.input.SourceMap;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.List;
import java.util.Set;

/** The eleven controls of the Baseline Pod Security Standard, one class each. */
final class BaselineControls {
    private BaselineControls() {}

    private static final String REF = "Pod Security Standards (baseline): ";

    private static RuleInfo.Builder baseline(String id, String control) {
        return rule(id, "Pod Security Standards").severity(Severity.HIGH).refs(REF + control,
                "NSA-CISA Kubernetes Hardening Guide: pod security");
    }

    static final class HostProcess extends PssControl {
        HostProcess() {
            super(baseline("PSS-HOST-PROCESS", "HostProcess").title("Windows HostProcess container")
                    .why("HostProcess containers run directly on the Windows node with the node's privileges.")
                    .fix("""
                         spec:
                           securityContext:
                             windowsOptions:
                               hostProcess: false"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            if (pod.podSecurityContext().path("windowsOptions").path("hostProcess").asBoolean(false)) {
                report(pod, f, pod.pointer("/securityContext/windowsOptions/hostProcess"), "pod sets windowsOptions.hostProcess: true");
            }
            for (Container c : pod.containers()) {
                if (c.securityContext().path("windowsOptions").path("hostProcess").asBoolean(false)) {
                    report(pod, f, c.securityContextPointer("windowsOptions/hostProcess"), c.label() + " sets windowsOptions.hostProcess: true");
                }
            }
        }
    }

    static final class HostNamespaces extends PssControl {
        HostNamespaces() {
            super(baseline("PSS-HOST-NAMESPACES", "Host Namespaces").title("hostNetwork, hostPID or hostIPC")
                    .why("Sharing the host's namespaces removes the pod's network and process isolation from the node.")
                    .fix("""
                         spec:
                           hostNetwork: false
                           hostPID: false
                           hostIPC: false"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (pod.spec().path(field).asBoolean(false)) report(pod, f, pod.pointer("/" + field), field + " is true");
            }
        }
    }

    static final class Privileged extends PssControl {
        Privileged() {
            super(baseline("PSS-PRIVILEGED", "Privileged Containers").title("Privileged container")
                    .why("Privileged pods disable most security mechanisms and get full access to the host.")
                    .fix("""
                         securityContext:
                           privileged: false"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            for (Container c : pod.containers()) {
                if (c.securityContext().path("privileged").asBoolean(false)) {
                    report(pod, f, c.securityContextPointer("privileged"), c.label() + " is privileged");
                }
            }
        }
    }

    static final class Capabilities extends PssControl {
        static final Set<String> ALLOWED = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

        Capabilities() {
            super(baseline("PSS-CAPABILITIES-BASELINE", "Capabilities").title("Capability added beyond the default set")
                    .why("Adding capabilities beyond the container runtime's default set is forbidden by the baseline policy.")
                    .fix("""
                         securityContext:
                           capabilities:
                             drop: ["ALL"]"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            for (Container c : pod.containers()) {
                JsonNode add = c.securityContext().path("capabilities").path("add");
                for (int i = 0; i < add.size(); i++) {
                    if (!ALLOWED.contains(add.get(i).asText())) {
                        report(pod, f, c.securityContextPointer("capabilities/add/" + i), c.label() + " adds " + add.get(i).asText());
                    }
                }
            }
        }
    }

    static final class HostPath extends PssControl {
        HostPath() {
            super(baseline("PSS-HOST-PATH", "HostPath Volumes").title("hostPath volume")
                    .why("HostPath volumes give access to the node's filesystem.")
                    .fix("""
                         volumes:
                           - name: data
                             emptyDir: {}"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            JsonNode volumes = pod.spec().path("volumes");
            for (int i = 0; i < volumes.size(); i++) {
                if (volumes.get(i).has("hostPath")) {
                    report(pod, f, pod.pointer("/volumes/" + i + "/hostPath"), "volume \"" + volumes.get(i).path("name").asText() + "\" is a hostPath");
                }
            }
        }
    }

    static final class HostPorts extends PssControl {
        HostPorts() {
            super(baseline("PSS-HOST-PORTS", "Host Ports").title("hostPort")
                    .why("Host ports bind on the node itself, bypassing Services and NetworkPolicies, and limit scheduling.")
                    .fix("""
                         ports:
                           - containerPort: 8080   # no hostPort; expose it with a Service"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            for (Container c : pod.containers()) {
                JsonNode ports = c.node().path("ports");
                for (int i = 0; i < ports.size(); i++) {
                    if (ports.get(i).path("hostPort").asInt(0) != 0) {
                        report(pod, f, c.pointer() + "/ports/" + i + "/hostPort", c.label() + " uses hostPort " + ports.get(i).path("hostPort").asInt());
                    }
                }
            }
        }
    }

    static final class AppArmor extends PssControl {
        private static final String ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

        AppArmor() {
            super(baseline("PSS-APPARMOR", "AppArmor").title("AppArmor profile overridden (Unconfined)")
                    .why("Disabling AppArmor (type Unconfined) removes a mandatory-access-control layer the runtime applies by default.")
                    .fix("""
                         securityContext:
                           appArmorProfile:
                             type: RuntimeDefault"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            checkType(pod, f, pod.podSecurityContext().path("appArmorProfile").path("type"), pod.pointer("/securityContext/appArmorProfile/type"), "pod");
            for (Container c : pod.containers()) {
                checkType(pod, f, c.securityContext().path("appArmorProfile").path("type"), c.securityContextPointer("appArmorProfile/type"), c.label());
            }
            JsonNode annotations = pod.owner().at(pod.metaPointer() + "/annotations");
            for (var e : annotations.properties()) {
                String v = e.getValue().asText();
                if (e.getKey().startsWith(ANNOTATION) && !v.equals("runtime/default") && !v.startsWith("localhost/")) {
                    report(pod, f, pod.metaPointer() + "/annotations/" + SourceMap.escape(e.getKey()),
                            "annotation " + e.getKey() + " is " + v);
                }
            }
        }

        private void checkType(PodTemplate pod, Findings f, JsonNode type, String pointer, String who) {
            if (type.isTextual() && !type.asText().equals("RuntimeDefault") && !type.asText().equals("Localhost")) {
                report(pod, f, pointer, who + " sets appArmorProfile.type " + type.asText());
            }
        }
    }

    static final class SeLinux extends PssControl {
        private static final Set<String> TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

        SeLinux() {
            super(baseline("PSS-SELINUX", "SELinux").title("Custom SELinux user, role or type")
                    .why("Setting a custom SELinux user or role, or a type outside the container types, escapes SELinux confinement.")
                    .fix("""
                         securityContext:
                           seLinuxOptions:
                             type: container_t"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            checkOptions(pod, f, pod.podSecurityContext().path("seLinuxOptions"), pod.pointer("/securityContext/seLinuxOptions"), "pod");
            for (Container c : pod.containers()) {
                checkOptions(pod, f, c.securityContext().path("seLinuxOptions"), c.securityContextPointer("seLinuxOptions"), c.label());
            }
        }

        private void checkOptions(PodTemplate pod, Findings f, JsonNode options, String pointer, String who) {
            if (!options.isObject()) return;
            if (options.has("type") && !TYPES.contains(options.path("type").asText())) {
                report(pod, f, pointer + "/type", who + " sets seLinuxOptions.type " + options.path("type").asText());
            }
            for (String field : List.of("user", "role")) {
                if (!options.path(field).asText("").isEmpty()) {
                    report(pod, f, pointer + "/" + field, who + " sets seLinuxOptions." + field);
                }
            }
        }
    }

    static final class ProcMount extends PssControl {
        ProcMount() {
            super(baseline("PSS-PROC-MOUNT", "/proc Mount Type").title("Unmasked /proc mount")
                    .why("The default /proc mask hides kernel information and interfaces; Unmasked exposes them.")
                    .fix("""
                         securityContext:
                           procMount: Default"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            for (Container c : pod.containers()) {
                JsonNode pm = c.securityContext().path("procMount");
                if (pm.isTextual() && !pm.asText().equals("Default")) {
                    report(pod, f, c.securityContextPointer("procMount"), c.label() + " sets procMount " + pm.asText());
                }
            }
        }
    }

    static final class Seccomp extends PssControl {
        Seccomp() {
            super(baseline("PSS-SECCOMP-BASELINE", "Seccomp").title("Seccomp profile set to Unconfined")
                    .why("Unconfined disables the syscall filter, exposing the whole kernel attack surface.")
                    .fix("""
                         securityContext:
                           seccompProfile:
                             type: RuntimeDefault"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            if (pod.podSecurityContext().path("seccompProfile").path("type").asText("").equals("Unconfined")) {
                report(pod, f, pod.pointer("/securityContext/seccompProfile/type"), "pod seccompProfile is Unconfined");
            }
            for (Container c : pod.containers()) {
                if (c.securityContext().path("seccompProfile").path("type").asText("").equals("Unconfined")) {
                    report(pod, f, c.securityContextPointer("seccompProfile/type"), c.label() + " seccompProfile is Unconfined");
                }
            }
        }
    }

    static final class Sysctls extends PssControl {
        static final Set<String> SAFE = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
                "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

        Sysctls() {
            super(baseline("PSS-SYSCTLS", "Sysctls").title("Unsafe sysctl")
                    .why("Sysctls outside the namespaced safe set can change the node's kernel for every pod on it.")
                    .fix("""
                         securityContext:
                           sysctls:
                             - name: net.ipv4.ip_unprivileged_port_start
                               value: "0\""""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            JsonNode sysctls = pod.podSecurityContext().path("sysctls");
            for (int i = 0; i < sysctls.size(); i++) {
                String name = sysctls.get(i).path("name").asText();
                if (!SAFE.contains(name)) report(pod, f, pod.pointer("/securityContext/sysctls/" + i), "sysctl " + name + " is not in the safe set");
            }
        }
    }
}
