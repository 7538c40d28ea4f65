package dev.strongroom.scan.rules;

import dev.strongroom.scan.model.Inventory;

/**
 * One check. A rule sees the whole {@link Inventory} because many checks span objects (a binding
 * and its role, a namespace and its policies); per-object rules simply loop over one kind.
 */
public interface Rule {
    RuleInfo info();

    void check(Inventory inventory, Findings findings);
}
