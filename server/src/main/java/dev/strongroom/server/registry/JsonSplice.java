package dev.strongroom.server.registry;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level edits of the canonical JSON Strongroom itself stored, so reads need no JSON round trip. Only shapes
 * this server writes are handled; anything else returns null and the caller takes the tree path.
 */
final class JsonSplice {
    private JsonSplice() {}

    private static final byte[] UID = ",\"uid\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KIND = "{\"kind\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] API_VERSION = "\",\"apiVersion\":\"".getBytes(StandardCharsets.US_ASCII);

    static byte[] withResourceVersion(byte[] json, String rv, boolean withTypeMeta) {
        int start = 0;
        if (!withTypeMeta) {
            // {"kind":"X","apiVersion":"Y",... → {...
            if (!startsWith(json, KIND, 0)) return null;
            int av = indexOf(json, API_VERSION, KIND.length);
            if (av < 0) return null;
            int endQuote = indexOfByte(json, (byte) '"', av + API_VERSION.length);
            if (endQuote < 0 || endQuote + 1 >= json.length || json[endQuote + 1] != ',') return null;
            start = endQuote + 1; // the comma becomes the object's opening brace below
        }
        // Metadata fields before uid (name, generateName, namespace) cannot contain quotes, so the first ,"uid":" is it.
        int uid = indexOf(json, UID, start);
        if (uid < 0) return null;
        int uidEnd = indexOfByte(json, (byte) '"', uid + UID.length);
        if (uidEnd < 0 || uidEnd + 1 >= json.length) return null;
        byte after = json[uidEnd + 1];
        byte[] insert;
        int at;
        if (after == ',') {
            insert = ("\"resourceVersion\":\"" + rv + "\",").getBytes(StandardCharsets.US_ASCII);
            at = uidEnd + 2;
        } else if (after == '}') {
            insert = (",\"resourceVersion\":\"" + rv + "\"").getBytes(StandardCharsets.US_ASCII);
            at = uidEnd + 1;
        } else {
            return null;
        }
        int prefixLen = at - start;
        byte[] out = new byte[prefixLen + insert.length + (json.length - at)];
        System.arraycopy(json, start, out, 0, prefixLen);
        if (!withTypeMeta) out[0] = '{';
        System.arraycopy(insert, 0, out, prefixLen, insert.length);
        System.arraycopy(json, at, out, prefixLen + insert.length, json.length - at);
        return out;
    }

    private static boolean startsWith(byte[] a, byte[] p, int from) {
        if (a.length - from < p.length) return false;
        for (int i = 0; i < p.length; i++) if (a[from + i] != p[i]) return false;
        return true;
    }

    static int indexOf(byte[] a, byte[] p, int from) {
        outer:
        for (int i = from; i <= a.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) if (a[i + j] != p[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int indexOfByte(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }
}
