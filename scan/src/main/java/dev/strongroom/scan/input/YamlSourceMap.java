package dev.strongroom.scan.input;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Positions of a YAML document, found on demand by walking the composed SnakeYAML nodes.
 *
 * <p>Only a few nodes of each document are ever asked for (those with findings), so walking the
 * tree per lookup is much cheaper than recording a pointer string for every node up front, and
 * keeps a 10,000-object scan's memory close to the size of the parsed trees.
 */
final class YamlSourceMap extends SourceMap {
    private final Node root;
    private final int lineOffset;

    YamlSourceMap(Node root, int lineOffset) {
        this.root = root;
        this.lineOffset = lineOffset;
    }

    @Override
    public Position at(String pointer) {
        if (pointer.isEmpty()) return position(root.getStartMark());
        Node node = root;
        Mark mark = root.getStartMark();
        int start = 1; // skip the leading '/'
        while (start <= pointer.length()) {
            int slash = pointer.indexOf('/', start);
            String token = unescape(pointer.substring(start, slash < 0 ? pointer.length() : slash));
            if (node instanceof MappingNode mapping) {
                NodeTuple tuple = find(mapping, token, 0);
                if (tuple == null) return null;
                mark = tuple.getKeyNode().getStartMark(); // a field's position is its key's
                node = tuple.getValueNode();
            } else if (node instanceof SequenceNode sequence) {
                int index;
                try {
                    index = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (index < 0 || index >= sequence.getValue().size()) return null;
                node = sequence.getValue().get(index);
                mark = node.getStartMark();
            } else {
                return null;
            }
            if (slash < 0) break;
            start = slash + 1;
        }
        return position(mark);
    }

    /** The entry for {@code key}; explicit keys win over merged ({@code <<}) ones, as in the tree. */
    private static NodeTuple find(MappingNode mapping, String key, int depth) {
        NodeTuple last = null;
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && !t.getKeyNode().getTag().equals(Tag.MERGE) && s.getValue().equals(key)) last = t;
        }
        if (last != null || depth > 8) return last; // duplicate keys: the last one wins, as in the tree
        for (NodeTuple t : mapping.getValue()) {
            if (!t.getKeyNode().getTag().equals(Tag.MERGE)) continue;
            Node v = t.getValueNode();
            if (v instanceof MappingNode m) {
                NodeTuple found = find(m, key, depth + 1);
                if (found != null) return found;
            } else if (v instanceof SequenceNode seq) {
                for (Node n : seq.getValue()) {
                    if (n instanceof MappingNode m) {
                        NodeTuple found = find(m, key, depth + 1);
                        if (found != null) return found;
                    }
                }
            }
        }
        return null;
    }

    private Position position(Mark mark) {
        return new Position(mark.getLine() + lineOffset + 1, mark.getColumn() + 1);
    }
}
