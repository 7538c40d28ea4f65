package dev.strongroom.scan.rules;

import dev.strongroom.scan.model.KubeObject;
import java.util.ArrayList;
import java.util.List;

/** Where rules put what they find. */
public final class Findings {
    private final List<Finding> list = new ArrayList<>();

    public void add(RuleInfo rule, KubeObject object, String pointer, String message) {
        list.add(Finding.of(rule, object, pointer, message));
    }

    /** Appends everything another rule's Findings collected. */
    public void addAll(Findings other) {
        list.addAll(other.list);
    }

    public List<Finding> list() {
        return list;
    }
}
