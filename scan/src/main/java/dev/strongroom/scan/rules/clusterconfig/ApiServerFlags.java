package dev.strongroom.scan.rules.clusterconfig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.scan.input.FlagsFileLoader;
import dev.strongroom.scan.model.Container;
import dev.strongroom.scan.model.Inventory;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.PodTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kube-apiserver command lines in a scan: the container of a static-pod manifest (or mirror
 * pod) that runs kube-apiserver, and flags files read by {@link FlagsFileLoader}.
 */
final class ApiServerFlags {

    /** One flag's value and where it is written. */
    record Flag(String value, String pointer) {}

    /** A kube-apiserver invocation: its flags by name, and where a missing flag would go. */
    record Invocation(KubeObject owner, String listPointer, Map<String, Flag> flags) {
        Flag flag(String name) {
            return flags.get(name);
        }
    }

    private ApiServerFlags() {}

    static List<Invocation> all(Inventory inventory) {
        List<Invocation> out = new ArrayList<>();
        for (PodTemplate pod : inventory.podTemplates()) {
            for (Container c : pod.containers()) {
                if (runsApiServer(c.node())) out.add(parse(pod.owner(), c));
            }
        }
        for (KubeObject o : inventory.ofKind(FlagsFileLoader.KIND)) {
            Map<String, Flag> flags = new LinkedHashMap<>();
            JsonNode args = o.body().path("args");
            for (int i = 0; i < args.size(); i++) put(flags, args.get(i).asText(), "/args/" + i, null);
            out.add(new Invocation(o, "/args", flags));
        }
        return out;
    }

    private static boolean runsApiServer(JsonNode container) {
        for (String field : List.of("command", "args")) {
            JsonNode list = container.path(field);
            if (list.size() > 0 && baseName(list.get(0).asText()).equals("kube-apiserver")) return true;
        }
        return false;
    }

    private static Invocation parse(KubeObject owner, Container c) {
        Map<String, Flag> flags = new LinkedHashMap<>();
        for (String field : List.of("command", "args")) {
            JsonNode list = c.node().path(field);
            for (int i = 0; i < list.size(); i++) {
                String next = i + 1 < list.size() ? list.get(i + 1).asText() : null;
                put(flags, list.get(i).asText(), c.pointer() + "/" + field + "/" + i, next);
            }
        }
        String listPointer = c.node().has("command") ? c.pointer() + "/command" : c.pointer() + "/args";
        return new Invocation(owner, listPointer, flags);
    }

    /** Accepts --name=value, and --name value (the form Go's flag package also takes). */
    private static void put(Map<String, Flag> flags, String arg, String pointer, String next) {
        if (!arg.startsWith("--")) return;
        int eq = arg.indexOf('=');
        if (eq > 0) {
            flags.put(arg.substring(2, eq), new Flag(arg.substring(eq + 1), pointer));
        } else if (next != null && !next.startsWith("-")) {
            flags.put(arg.substring(2), new Flag(next, pointer));
        } else {
            flags.put(arg.substring(2), new Flag("true", pointer));
        }
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
