package dev.strongroom.scan.input;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads kube-apiserver command-line flags from a text file that is not a manifest: a systemd unit,
 * an {@code /etc/default} file, or {@code ps} output.
 *
 * <p>The flags become a synthetic {@code KubeApiServerFlags} object whose {@code args} list has
 * exact positions, so the same rules that check a static-pod manifest check these files too.
 */
public final class FlagsFileLoader {
    public static final String API_VERSION = "scan.strongroom.dev/v1";
    public static final String KIND = "KubeApiServerFlags";
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z0-9][a-z0-9-]*(?:=(?:\"[^\"]*\"|'[^']*'|[^\\s\\\\]*))?");

    /** True if {@code text} mentions kube-apiserver and has at least one {@code --flag}. */
    public static boolean looksLikeFlags(String text) {
        return text.contains("kube-apiserver") && FLAG.matcher(text).find();
    }

    public static LoadedDocument load(String origin, String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        SourceMap.Recorded map = new SourceMap.Recorded();
        ObjectNode root = f.objectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        root.putObject("metadata").put("name", origin);
        ArrayNode args = root.putArray("args");
        map.put("", Position.START);
        int start = text.indexOf("kube-apiserver");
        Matcher m = FLAG.matcher(text);
        int line = 1;
        int lineStart = 0;
        int scanned = 0;
        while (m.find(start < 0 ? 0 : start)) {
            for (int i = scanned; i < m.start(); i++) {
                if (text.charAt(i) == '\n') { line++; lineStart = i + 1; }
            }
            scanned = m.start();
            map.put("/args/" + args.size(), new Position(line, m.start() - lineStart + 1));
            args.add(unquote(m.group()));
            start = m.end();
        }
        map.put("/args", map.nearest("/args/0"));
        return new LoadedDocument(origin, root, map, Position.START);
    }

    private static String unquote(String flag) {
        int eq = flag.indexOf('=');
        if (eq < 0) return flag;
        String v = flag.substring(eq + 1);
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
        }
        return flag.substring(0, eq + 1) + v;
    }
}
