package dev.strongroom.server.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * What one log line says about its place in the chain: its sequence number, the hash it claims, and where the hashed
 * prefix ends (just after the opening quote of the chain annotation's value). Null if the line carries no
 * well-formed chain annotation at its very end.
 */
record ChainLink(long seq, byte[] hash, int prefixEnd) {

    /** Parses {@code line[0, len)} (without its newline). */
    static ChainLink parse(byte[] line, int len) {
        // ...,"strongroom.dev/audit-chain":"SEQ:HEX"}}
        if (len < Chain.MARK.length + 3 + 66) return null;
        if (line[len - 1] != '}' || line[len - 2] != '}' || line[len - 3] != '"') return null;
        int mark = lastIndexOf(line, len - 3, Chain.MARK);
        if (mark < 0) return null;
        int start = mark + Chain.MARK.length;
        int end = len - 3;
        int colon = -1;
        for (int i = start; i < end; i++) if (line[i] == ':') { colon = i; break; }
        if (colon <= start || end - colon - 1 != 64 || colon - start > 19) return null;
        long seq = 0;
        for (int i = start; i < colon; i++) {
            byte c = line[i];
            if (c < '0' || c > '9') return null;
            seq = seq * 10 + (c - '0');
        }
        if (seq < 1) return null;
        byte[] hash;
        try {
            hash = HexFormat.of().parseHex(new String(line, colon + 1, 64, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new ChainLink(seq, hash, start);
    }

    private static int lastIndexOf(byte[] a, int before, byte[] needle) {
        outer:
        for (int i = before - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) if (a[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** The last well-formed chained line of a file (reading backwards from its end), or null. */
    static ChainLink lastOf(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) return null;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            int window = 64 * 1024;
            while (true) {
                long from = Math.max(0, size - window);
                byte[] buf = new byte[(int) (size - from)];
                f.seek(from);
                f.readFully(buf);
                int end = buf.length;
                // walk lines backwards within the window
                while (end > 0) {
                    int e = end;
                    if (buf[e - 1] == '\n') e--;
                    int s = e;
                    while (s > 0 && buf[s - 1] != '\n') s--;
                    if (s == 0 && from > 0) break; // the line may start before the window
                    byte[] line = java.util.Arrays.copyOfRange(buf, s, e);
                    ChainLink l = parse(line, line.length);
                    if (l != null) return l;
                    end = s;
                }
                if (from == 0 || window >= 64 * 1024 * 1024) return null;
                window *= 4;
            }
        }
    }

    /** The first well-formed chained line of a file, or null. */
    static ChainLink firstOf(Path file) throws IOException {
        try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
            LineReader r = new LineReader(in);
            for (byte[] line; (line = r.next()) != null; ) {
                ChainLink l = parse(line, r.length());
                if (l != null) return l;
            }
        }
        return null;
    }

    /** Reads lines of any length; {@link #next} returns a buffer valid until the next call, {@link #length} its size. */
    static final class LineReader {
        private final java.io.InputStream in;
        private byte[] buf = new byte[8192];
        private int len;
        private boolean terminated;

        LineReader(java.io.InputStream in) { this.in = in; }

        byte[] next() throws IOException {
            len = 0;
            terminated = false;
            int c;
            boolean any = false;
            while ((c = in.read()) >= 0) {
                any = true;
                if (c == '\n') {
                    terminated = true;
                    return buf;
                }
                if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                buf[len++] = (byte) c;
            }
            return any ? buf : null;
        }

        int length() { return len; }

        /** Whether the last line read ended with a newline (false: the file ends mid-line). */
        boolean terminated() { return terminated; }
    }
}
