package dev.strongroom.scan.engine;

import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import dev.strongroom.scan.rules.Finding;
import java.util.Arrays;
import java.util.Optional;

/**
 * In-source suppression: {@code strongroom.dev/ignore: SR-POD-004,SR-IMG-002} on the object (or on
 * a workload's pod template), with an optional {@code strongroom.dev/ignore-reason}. Suppressed
 * findings stay in the report, marked, so an audit can see what was waived and why.
 */
public final class Suppressions {
    public static final String IGNORE = "strongroom.dev/ignore";
    public static final String REASON = "strongroom.dev/ignore-reason";

    private Suppressions() {}

    public static Finding apply(Finding finding) {
        KubeObject o = finding.object();
        return reasonFor(o, finding.rule().id()).map(finding::suppress).orElse(finding);
    }

    static Optional<String> reasonFor(KubeObject o, String ruleId) {
        if (lists(o.annotation(IGNORE), ruleId)) return Optional.of(reason(o.annotation(REASON)));
        Optional<PodTemplate> pod = PodTemplate.of(o);
        if (pod.isPresent() && lists(pod.get().podAnnotation(IGNORE), ruleId)) {
            return Optional.of(reason(pod.get().podAnnotation(REASON)));
        }
        return Optional.empty();
    }

    private static boolean lists(String annotation, String ruleId) {
        return annotation != null && Arrays.stream(annotation.split(",")).map(String::strip).anyMatch(ruleId::equalsIgnoreCase);
    }

    private static String reason(String r) {
        return r == null || r.isBlank() ? "suppressed by " + IGNORE + " annotation (no reason given)" : r.strip();
    }
}
