package dev.strongroom.scan.input;

/** A 1-based line and column in a source text, as SARIF and editors count them. */
public record Position(int line, int column) {
    public static final Position START = new Position(1, 1);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
