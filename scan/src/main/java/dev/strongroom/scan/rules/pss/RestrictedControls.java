package dev.strongroom.scan.rules.pss;

import static dev.strongroom.scan.rules.RuleInfo.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Findings;
import dev.strongroom.scan.rules.RuleInfo;
import dev.strongroom.scan.rules.Severity;
import java.util.Set;

/** The six controls the Restricted Pod Security Standard adds to Baseline, one class each. */
final class RestrictedControls {
    private RestrictedControls() {}

    private static final String REF = "Pod Security Standards (restricted): ";

    private static RuleInfo.Builder restricted(String id, String control) {
        return rule(id, "Pod Security Standards").severity(Severity.MEDIUM).refs(REF + control,
                "NSA-CISA Kubernetes Hardening Guide: pod security");
    }

    static final class VolumeTypes extends PssControl {
        private static final Set<String> ALLOWED = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                "persistentVolumeClaim", "projected", "secret");

        VolumeTypes() {
            super(restricted("PSS-VOLUME-TYPES", "Volume Types").title("Volume type outside the restricted set")
                    .why("Only volume types that cannot reach node or network storage directly are allowed.")
                    .fix("""
                         volumes:
                           - name: data
                             persistentVolumeClaim:
                               claimName: data"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            JsonNode volumes = pod.spec().path("volumes");
            for (int i = 0; i < volumes.size(); i++) {
                for (var e : volumes.get(i).properties()) {
                    if (!e.getKey().equals("name") && !ALLOWED.contains(e.getKey())) {
                        report(pod, f, pod.pointer("/volumes/" + i + "/" + e.getKey()), "volume \"" + volumes.get(i).path("name").asText()
                                + "\" has type " + e.getKey());
                    }
                }
            }
        }
    }

    static final class PrivilegeEscalation extends PssControl {
        PrivilegeEscalation() {
            super(restricted("PSS-PRIVILEGE-ESCALATION", "Privilege Escalation").title("allowPrivilegeEscalation is not false")
                    .why("Privilege escalation (setuid, file capabilities) must be explicitly disallowed; unset allows it.")
                    .fix("""
                         securityContext:
                           allowPrivilegeEscalation: false"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            if (pod.isWindows()) return; // the standard exempts Windows pods from this control
            for (Container c : pod.containers()) {
                JsonNode ape = c.securityContext().path("allowPrivilegeEscalation");
                if (!(ape.isBoolean() && !ape.asBoolean())) {
                    report(pod, f, c.securityContextPointer("allowPrivilegeEscalation"), c.label() + " must set allowPrivilegeEscalation: false");
                }
            }
        }
    }

    static final class RunAsNonRoot extends PssControl {
        RunAsNonRoot() {
            super(restricted("PSS-RUN-AS-NON-ROOT", "Running as Non-root").title("runAsNonRoot is not true")
                    .why("Containers must be required to run as non-root users (runAsNonRoot: true at pod or container level).")
                    .fix("""
                         spec:
                           securityContext:
                             runAsNonRoot: true"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            JsonNode podLevel = pod.podSecurityContext().path("runAsNonRoot");
            if (podLevel.isBoolean() && !podLevel.asBoolean()) {
                report(pod, f, pod.pointer("/securityContext/runAsNonRoot"), "pod sets runAsNonRoot: false");
            }
            for (Container c : pod.containers()) {
                JsonNode own = c.securityContext().path("runAsNonRoot");
                if (own.isBoolean() && !own.asBoolean()) {
                    report(pod, f, c.securityContextPointer("runAsNonRoot"), c.label() + " sets runAsNonRoot: false");
                } else if (!own.asBoolean(false) && !podLevel.asBoolean(false)) {
                    report(pod, f, c.securityContextPointer("runAsNonRoot"), c.label() + " does not set runAsNonRoot: true (nor does the pod)");
                }
            }
        }
    }

    static final class RunAsUser extends PssControl {
        RunAsUser() {
            super(restricted("PSS-RUN-AS-USER", "Running as Non-root user").title("runAsUser is 0")
                    .why("Containers must not set runAsUser to 0 (root).")
                    .fix("""
                         securityContext:
                           runAsUser: 10001"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            JsonNode podLevel = pod.podSecurityContext().path("runAsUser");
            if (podLevel.isNumber() && podLevel.asLong() == 0) report(pod, f, pod.pointer("/securityContext/runAsUser"), "pod sets runAsUser: 0");
            for (Container c : pod.containers()) {
                JsonNode own = c.securityContext().path("runAsUser");
                if (own.isNumber() && own.asLong() == 0) report(pod, f, c.securityContextPointer("runAsUser"), c.label() + " sets runAsUser: 0");
            }
        }
    }

    static final class Seccomp extends PssControl {
        Seccomp() {
            super(restricted("PSS-SECCOMP-RESTRICTED", "Seccomp").title("Seccomp profile not RuntimeDefault or Localhost")
                    .why("A seccomp profile must be set explicitly (RuntimeDefault or Localhost) at pod level or on every container.")
                    .fix("""
                         spec:
                           securityContext:
                             seccompProfile:
                               type: RuntimeDefault"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            if (pod.isWindows()) return; // exempt by the standard
            String podType = pod.podSecurityContext().path("seccompProfile").path("type").asText("");
            boolean podOk = podType.equals("RuntimeDefault") || podType.equals("Localhost");
            if (!podType.isEmpty() && !podOk) {
                report(pod, f, pod.pointer("/securityContext/seccompProfile/type"), "pod seccompProfile.type is " + podType);
            }
            for (Container c : pod.containers()) {
                String type = c.securityContext().path("seccompProfile").path("type").asText("");
                if (!type.isEmpty() && !type.equals("RuntimeDefault") && !type.equals("Localhost")) {
                    report(pod, f, c.securityContextPointer("seccompProfile/type"), c.label() + " seccompProfile.type is " + type);
                } else if (type.isEmpty() && !podOk) {
                    report(pod, f, c.securityContextPointer("seccompProfile"), c.label() + " has no seccompProfile (nor does the pod)");
                }
            }
        }
    }

    static final class Capabilities extends PssControl {
        Capabilities() {
            super(restricted("PSS-CAPABILITIES-RESTRICTED", "Capabilities").title("Capabilities not dropping ALL, or adding more than NET_BIND_SERVICE")
                    .why("Containers must drop ALL capabilities and may only add back NET_BIND_SERVICE.")
                    .fix("""
                         securityContext:
                           capabilities:
                             drop: ["ALL"]
                             add: ["NET_BIND_SERVICE"]"""));
        }

        @Override
        void check(PodTemplate pod, Findings f) {
            if (pod.isWindows()) return; // exempt by the standard
            for (Container c : pod.containers()) {
                JsonNode caps = c.securityContext().path("capabilities");
                boolean dropsAll = false;
                for (JsonNode d : caps.path("drop")) dropsAll |= d.asText().equals("ALL");
                if (!dropsAll) report(pod, f, c.securityContextPointer("capabilities/drop"), c.label() + " must drop ALL capabilities");
                JsonNode add = caps.path("add");
                for (int i = 0; i < add.size(); i++) {
                    if (!add.get(i).asText().equals("NET_BIND_SERVICE")) {
                        report(pod, f, c.securityContextPointer("capabilities/add/" + i), c.label() + " adds " + add.get(i).asText());
                    }
                }
            }
        }
    }
}
