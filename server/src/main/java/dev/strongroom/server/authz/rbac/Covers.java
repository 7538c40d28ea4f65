package dev.strongroom.server.authz.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * component-helpers' {@code policy_comparator.go}: does one set of rules cover another? Each servant rule is broken
 * into atoms (one group, resource, verb and at most one name; or one URL and verb), and every atom must be covered by
 * a single owner rule. Used to stop users from granting permissions they do not hold.
 */
public final class Covers {
    private Covers() {}

    /** @return the atoms of {@code servant} not covered by {@code owner} (empty: covered) */
    public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule s : servant) {
            for (PolicyRule atom : breakdown(s)) {
                boolean covered = false;
                for (PolicyRule o : owner) if (ruleCovers(o, atom)) { covered = true; break; }
                if (!covered) missing.add(atom);
            }
        }
        return missing;
    }

    static List<PolicyRule> breakdown(PolicyRule r) {
        List<PolicyRule> out = new ArrayList<>();
        for (String g : r.apiGroups()) for (String res : r.resources()) for (String v : r.verbs()) {
            if (r.resourceNames().isEmpty()) out.add(new PolicyRule(List.of(v), List.of(g), List.of(res), List.of(), List.of()));
            else for (String n : r.resourceNames()) out.add(new PolicyRule(List.of(v), List.of(g), List.of(res), List.of(n), List.of()));
        }
        for (String u : r.nonResourceURLs()) for (String v : r.verbs()) out.add(PolicyRule.nonResource(List.of(v), List.of(u)));
        return out;
    }

    static boolean ruleCovers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = owner.verbs().contains(PolicyRule.ALL) || owner.verbs().containsAll(sub.verbs());
        boolean groups = owner.apiGroups().contains(PolicyRule.ALL) || owner.apiGroups().containsAll(sub.apiGroups());
        boolean names = sub.resourceNames().isEmpty() ? owner.resourceNames().isEmpty()
                : owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(sub.resourceNames());
        return verbs && groups && resourcesCover(owner.resources(), sub.resources()) && names
                && urlsCover(owner.nonResourceURLs(), sub.nonResourceURLs());
    }

    private static boolean resourcesCover(List<String> set, List<String> covers) {
        if (set.contains(PolicyRule.ALL) || set.containsAll(covers)) return true;
        for (String path : covers) {
            if (set.contains(path)) continue;
            int slash = path.indexOf('/');
            if (slash < 0) return false;
            if (!set.contains("*/" + path.substring(slash + 1))) return false;
        }
        return true;
    }

    private static boolean urlsCover(List<String> set, List<String> covers) {
        for (String path : covers) {
            boolean ok = false;
            for (String owner : set) {
                if (owner.equals(path) || (owner.endsWith("*") && path.startsWith(owner.substring(0, owner.length() - 1)))) {
                    ok = true;
                    break;
                }
            }
            if (!ok) return false;
        }
        return true;
    }

    /**
     * {@code CompactRules} then {@code CompactString}, sorted and de-duplicated: how upstream lists the missing
     * permissions in its refusal.
     */
    public static List<String> describe(List<PolicyRule> atoms) {
        Map<String, PolicyRule> simple = new LinkedHashMap<>();
        List<PolicyRule> compacted = new ArrayList<>();
        for (PolicyRule r : atoms) {
            boolean isSimple = r.apiGroups().size() == 1 && r.resources().size() == 1 && r.resourceNames().size() <= 1 && r.nonResourceURLs().isEmpty();
            if (!isSimple) { compacted.add(r); continue; }
            String key = r.apiGroups().get(0) + "\0" + r.resources().get(0) + "\0" + r.resourceNames();
            PolicyRule prev = simple.get(key);
            if (prev == null) simple.put(key, r);
            else {
                List<String> verbs = new ArrayList<>(prev.verbs());
                verbs.addAll(r.verbs());
                simple.put(key, new PolicyRule(verbs, prev.apiGroups(), prev.resources(), prev.resourceNames(), List.of()));
            }
        }
        compacted.addAll(simple.values());
        TreeSet<String> out = new TreeSet<>();
        for (PolicyRule r : compacted) out.add(r.compactString());
        return List.copyOf(out);
    }
}
