package dev.strongroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Attributes;
import dev.strongroom.server.authz.rbac.RbacPolicy;
import dev.strongroom.server.authz.rbac.WhoCan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** "Who can get secrets in namespace X?": every subject, and the binding and role that grant it. */
@Command(name = "who-can", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List every subject allowed to do VERB on RESOURCE, with the binding and role that grant it.", "",
                "Reads the RBAC objects through the current kubeconfig (Strongroom or any Kubernetes cluster) and evaluates them "
                        + "exactly as the RBAC authorizer does. Members of system:masters can do everything and are always listed.", ""},
        footer = {"", "Examples:",
                "  strongroom who-can get secrets -n default",
                "  strongroom who-can delete secrets/db-password -n prod",
                "  strongroom who-can create serviceaccounts/token -n ci --kubeconfig ~/.kube/prod",
                "  strongroom who-can list roles.rbac.authorization.k8s.io -A", "",
                "Exit status: 0 when the answer was computed, 1 when the server could not be read."})
public final class WhoCanCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The verb: get, list, watch, create, update, patch, delete, deletecollection, impersonate, bind, escalate, ...")
    String verb;

    @Parameters(index = "1", description = "RESOURCE[.GROUP][/NAME]; a subresource as RESOURCE/SUBRESOURCE (e.g. serviceaccounts/token).")
    String resource;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace of the request (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Ask at the cluster scope: only cluster-wide grants count.")
    boolean allNamespaces;

    @Option(names = "--kubeconfig", description = "kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    private static final List<String> SUBRESOURCES = List.of("token", "status", "finalize", "scale", "log", "exec", "proxy", "attach", "portforward", "eviction", "binding");

    @Override
    public Integer call() {
        String res = resource, group = "", sub = "", name = "";
        int slash = res.indexOf('/');
        if (slash > 0) {
            String after = res.substring(slash + 1);
            res = res.substring(0, slash);
            if (SUBRESOURCES.contains(after)) sub = after; else name = after;
        }
        int dot = res.indexOf('.');
        if (dot > 0) { group = res.substring(dot + 1); res = res.substring(0, dot); }
        String ns = allNamespaces ? "" : namespace;
        RbacPolicy policy;
        try {
            KubeClient k = KubeClient.fromKubeconfig(kubeconfig);
            policy = RbacPolicy.of(items(k, "/apis/rbac.authorization.k8s.io/v1/roles"), items(k, "/apis/rbac.authorization.k8s.io/v1/clusterroles"),
                    items(k, "/apis/rbac.authorization.k8s.io/v1/rolebindings"), items(k, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"));
        } catch (java.io.IOException e) {
            System.err.println("strongroom who-can: " + e.getMessage());
            return 1;
        }
        Attributes a = new Attributes(new UserInfo("", "", List.of(), Map.of()), verb, true, "", group, "v1", ns, res, sub, name);
        List<WhoCan.Grant> grants = WhoCan.who(policy, a);
        String what = verb + " " + (group.isEmpty() ? res : res + "." + group) + (sub.isEmpty() ? "" : "/" + sub) + (name.isEmpty() ? "" : " \"" + name + "\"");
        System.out.println("Who can " + what + (ns.isEmpty() ? " at the cluster scope" : " in namespace " + ns) + ":");
        System.out.println();
        print(grants);
        return 0;
    }

    private static List<ObjectNode> items(KubeClient k, String path) throws java.io.IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode i : k.get(path).path("items")) if (i instanceof ObjectNode o) out.add(o);
        return out;
    }

    private static void print(List<WhoCan.Grant> grants) {
        String[] h = {"KIND", "SUBJECT", "GRANTED BY", "ROLE"};
        int[] w = {h[0].length(), h[1].length(), h[2].length(), h[3].length()};
        for (WhoCan.Grant g : grants) {
            w[0] = Math.max(w[0], g.subjectKind().length());
            w[1] = Math.max(w[1], g.subject().length());
            w[2] = Math.max(w[2], g.binding().length());
            w[3] = Math.max(w[3], g.role().length());
        }
        String fmt = "%-" + w[0] + "s   %-" + w[1] + "s   %-" + w[2] + "s   %s%n";
        System.out.printf(fmt, (Object[]) h);
        for (WhoCan.Grant g : grants) System.out.printf(fmt, g.subjectKind(), g.subject(), g.binding(), g.role());
    }
}
