package dev.strongroom.scan.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream into its documents before any of them is parsed.
 *
 * <p>SnakeYAML stops at the first syntax error of a stream; splitting first means one malformed
 * document (a stray Helm template, a bad indent) is reported on its own and the rest still get
 * scanned. A {@code ---} or {@code ...} marker at column 0 can never be inside a scalar of a
 * well-formed document (YAML 1.2 §9.1.4), so the split is safe.
 */
final class YamlDocuments {
    private YamlDocuments() {}

    /** One document's text and the 0-based line of the source where it starts. */
    record Chunk(String text, int firstLine) {}

    static List<Chunk> split(String source) {
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentStart = 0;
        int lineNo = 0;
        int pos = 0;
        int len = source.length();
        while (pos < len) {
            int nl = source.indexOf('\n', pos);
            int end = nl < 0 ? len : nl + 1;
            String line = source.substring(pos, end);
            if (isMarker(line, "---") || isMarker(line, "...")) {
                chunks.add(new Chunk(current.toString(), currentStart));
                current.setLength(0);
                boolean start = line.startsWith("---");
                String rest = start ? line.substring(3) : "";
                // "--- !tag" or "--- {a: 1}" carries content on the marker line: keep it, padded so
                // that columns stay exact.
                if (start && !rest.isBlank() && !rest.stripLeading().startsWith("#")) {
                    current.append("   ").append(rest);
                    currentStart = lineNo;
                } else {
                    currentStart = lineNo + 1;
                }
            } else {
                current.append(line);
            }
            lineNo++;
            pos = end;
        }
        chunks.add(new Chunk(current.toString(), currentStart));
        chunks.removeIf(c -> isBlankOrComments(c.text()));
        return chunks;
    }

    private static boolean isMarker(String line, String marker) {
        if (!line.startsWith(marker)) return false;
        return line.length() == 3 || Character.isWhitespace(line.charAt(3));
    }

    private static boolean isBlankOrComments(String text) {
        for (String line : text.split("\n", -1)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#") && !s.startsWith("%")) return false;
        }
        return true;
    }
}
