package dev.strongroom.scan.input;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each node of a parsed document starts, looked up by JSON Pointer (RFC 6901).
 *
 * <p>For a mapping entry the position is that of its key (the line a reader looks at); for a
 * sequence item it is the item itself. Rules report JSON Pointers, possibly to fields that are
 * absent (an unset {@code allowPrivilegeEscalation}); {@link #nearest} then falls back to the
 * closest ancestor that exists, so every finding still gets an exact line and column.
 */
public abstract class SourceMap {

    /** The position of the node at {@code pointer}, or null if there is no such node. */
    public abstract Position at(String pointer);

    /** The position of {@code pointer}, or of its nearest existing ancestor; never null. */
    public final Position nearest(String pointer) {
        String p = pointer;
        while (true) {
            Position found = at(p);
            if (found != null) return found;
            if (p.isEmpty()) return Position.START;
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "" : p.substring(0, slash);
        }
    }

    /** A map with only a root position: for sources without a tree (a file that failed to parse). */
    public static SourceMap single(Position position) {
        Recorded map = new Recorded();
        map.put("", position);
        return map;
    }

    /** Escapes one reference token for use in a JSON Pointer. */
    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token;
        return token.replace("~", "~0").replace("/", "~1");
    }

    static String unescape(String token) {
        if (token.indexOf('~') < 0) return token;
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** Positions recorded up front, pointer by pointer (JSON documents, flag files). */
    static final class Recorded extends SourceMap {
        private final Map<String, Position> positions = new HashMap<>();

        void put(String pointer, Position position) {
            positions.putIfAbsent(pointer, position);
        }

        @Override
        public Position at(String pointer) {
            return positions.get(pointer);
        }
    }
}
