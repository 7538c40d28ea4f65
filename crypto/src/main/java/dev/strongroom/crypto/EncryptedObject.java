package dev.strongroom.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kubernetes' KMS v2 {@code EncryptedObject} message and its protobuf wire codec, written by hand because it is five
 * fields and pulling in protoc for it would cost more than it saves. The schema is upstream's
 * {@code staging/src/k8s.io/apiserver/pkg/storage/value/encrypt/envelope/kmsv2/v2/api.proto}:
 *
 * <pre>
 * message EncryptedObject {
 *   bytes encryptedData = 1;                       // info(32) || nonce(12) || AES-256-GCM ciphertext || tag(16)
 *   string keyID = 2;                              // the KEK that wrapped the seed
 *   bytes encryptedDEKSource = 3;                  // the wrapped seed
 *   map&lt;string, bytes&gt; annotations = 4;           // provider metadata, stored in the clear
 *   EncryptedDEKSourceType encryptedDEKSourceType = 5;
 * }
 * </pre>
 *
 * Decoding follows proto3 rules (unknown fields skipped, last occurrence wins, missing fields are empty) and then
 * upstream's {@code ValidateEncryptedObject}, so anything kube-apiserver would reject is rejected here too. Arrays are
 * held by reference: {@code equals} on this record compares identities, which is why nothing relies on it.
 */
record EncryptedObject(
        byte[] encryptedData, String keyId, byte[] encryptedDekSource, Map<String, byte[]> annotations,
        DekSourceType dekSourceType) {

    /** What the plaintext of {@code encryptedDEKSource} is; the wire numbers are upstream's enum values. */
    enum DekSourceType {
        /** Legacy (Kubernetes 1.27/1.28 default): the plaintext is the AES-256-GCM data key itself. Read only. */
        AES_GCM_KEY(0),
        /** The plaintext is a seed; each value's key is HKDF-SHA256-Expand(seed, info), info = its first 32 bytes. */
        HKDF_SHA256_XNONCE_AES_GCM_SEED(1);

        final int wireValue;

        DekSourceType(int wireValue) { this.wireValue = wireValue; }

        static DekSourceType fromWire(long value) {
            for (DekSourceType t : values()) if (t.wireValue == value) return t;
            throw new DecryptionException("unknown encryptedDEKSourceType " + value);
        }
    }

    // Upstream's limits (kmsv2/envelope.go); enforced on write so we never store what kube-apiserver cannot read.
    static final int KEY_ID_MAX_SIZE = 1024;
    static final int ENCRYPTED_DEK_SOURCE_MAX_SIZE = 1024;
    static final int ANNOTATIONS_MAX_SIZE = 32 * 1024;

    static final int FIELD_ENCRYPTED_DATA = 1;
    static final int FIELD_KEY_ID = 2;
    static final int FIELD_ENCRYPTED_DEK_SOURCE = 3;
    static final int FIELD_ANNOTATIONS = 4;
    static final int FIELD_DEK_SOURCE_TYPE = 5;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LEN = 2;
    private static final int WIRE_FIXED32 = 5;

    // IsFullyQualifiedDomainName: a lower-case RFC 1123 subdomain with at least two labels, optional trailing dot.
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Override
    public String toString() {
        // Metadata only: the ciphertext and wrapped seed are opaque, and sizes are enough to debug with.
        return "EncryptedObject[keyId=" + LogSafe.quote(keyId) + ", type=" + dekSourceType
                + ", encryptedData=" + encryptedData.length + " bytes, encryptedDEKSource=" + encryptedDekSource.length
                + " bytes, annotations=" + annotations.keySet() + "]";
    }

    // ---------------------------------------------------------------------------------------------------- encoding

    /** The whole message, fields in number order as Go's {@code proto.Marshal} writes them. */
    byte[] encode() {
        byte[] header = encodeHeader(keyId, encryptedDekSource, annotations, dekSourceType);
        int dataFieldSize = 1 + varintSize(encryptedData.length) + encryptedData.length;
        byte[] out = new byte[dataFieldSize + header.length];
        int pos = writeTag(out, 0, FIELD_ENCRYPTED_DATA, WIRE_LEN);
        pos = writeVarint(out, pos, encryptedData.length);
        System.arraycopy(encryptedData, 0, out, pos, encryptedData.length);
        System.arraycopy(header, 0, out, dataFieldSize, header.length);
        return out;
    }

    /**
     * Fields 2 to 5, which are the same for every value written under one seed. The write path encodes them once per
     * seed and appends them after a freshly encrypted field 1; protobuf allows fields in any order and concatenation.
     */
    static byte[] encodeHeader(String keyId, byte[] encryptedDekSource, Map<String, byte[]> annotations,
                               DekSourceType type) {
        validateHeader(keyId, encryptedDekSource, annotations, type);
        Sink out = new Sink();
        out.bytesField(FIELD_KEY_ID, keyId.getBytes(StandardCharsets.UTF_8));
        out.bytesField(FIELD_ENCRYPTED_DEK_SOURCE, encryptedDekSource);
        for (String key : sortedKeys(annotations)) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            byte[] v = annotations.get(key);
            Sink entry = new Sink();
            entry.bytesField(1, k);
            entry.bytesField(2, v);
            out.bytesField(FIELD_ANNOTATIONS, entry.toByteArray());
        }
        if (type.wireValue != 0) { // proto3 omits the default value
            out.tag(FIELD_DEK_SOURCE_TYPE, WIRE_VARINT);
            out.varint(type.wireValue);
        }
        return out.toByteArray();
    }

    static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) { value >>>= 7; n++; }
        return n;
    }

    static int writeVarint(byte[] out, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    static int writeTag(byte[] out, int pos, int field, int wireType) {
        return writeVarint(out, pos, ((long) field << 3) | wireType);
    }

    /** Growable buffer for the rare encodes (once per seed); the per-value path writes into one exact array. */
    private static final class Sink {
        private byte[] buf = new byte[128];
        private int size;

        void tag(int field, int wireType) { varint(((long) field << 3) | wireType); }

        void varint(long v) { ensure(10); size = writeVarint(buf, size, v); }

        void bytesField(int field, byte[] value) {
            tag(field, WIRE_LEN);
            varint(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, buf, size, value.length);
            size += value.length;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }

        byte[] toByteArray() { return Arrays.copyOf(buf, size); }
    }

    // ---------------------------------------------------------------------------------------------------- decoding

    /** Parses and validates {@code length} bytes at {@code offset}. */
    static EncryptedObject decode(byte[] buf, int offset, int length) {
        Reader in = new Reader(buf, offset, offset + length);
        byte[] encryptedData = new byte[0];
        String keyId = "";
        byte[] encryptedDekSource = new byte[0];
        Map<String, byte[]> annotations = new LinkedHashMap<>();
        long type = 0;
        while (in.hasMore()) {
            long tag = in.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == FIELD_ENCRYPTED_DATA && wireType == WIRE_LEN) encryptedData = in.bytes();
            else if (field == FIELD_KEY_ID && wireType == WIRE_LEN) keyId = in.string();
            else if (field == FIELD_ENCRYPTED_DEK_SOURCE && wireType == WIRE_LEN) encryptedDekSource = in.bytes();
            else if (field == FIELD_ANNOTATIONS && wireType == WIRE_LEN) in.mapEntry(annotations);
            else if (field == FIELD_DEK_SOURCE_TYPE && wireType == WIRE_VARINT) type = in.varint();
            else in.skip(wireType); // as protobuf does: unknown fields, and known ones with another wire type
        }
        DekSourceType dekSourceType = DekSourceType.fromWire(type);
        if (encryptedData.length == 0) throw new DecryptionException("encrypted data is empty");
        validateHeader(keyId, encryptedDekSource, annotations, dekSourceType);
        return new EncryptedObject(encryptedData, keyId, encryptedDekSource, Collections.unmodifiableMap(annotations),
                dekSourceType);
    }

    /** A bounds-checked cursor; every failure names an offset or rule, never the bytes. */
    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        Reader(byte[] buf, int pos, int end) { this.buf = buf; this.pos = pos; this.end = end; }

        boolean hasMore() { return pos < end; }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw malformed("truncated varint");
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) return result;
            }
            throw malformed("varint longer than 10 bytes");
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - pos) throw malformed("length " + n + " runs past the end");
            return (int) n;
        }

        byte[] bytes() {
            int n = length();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        String string() {
            int n = length();
            try {
                String s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, pos, n)).toString();
                pos += n;
                return s;
            } catch (CharacterCodingException e) {
                throw malformed("string field is not valid UTF-8");
            }
        }

        void mapEntry(Map<String, byte[]> into) {
            int n = length();
            Reader entry = new Reader(buf, pos, pos + n);
            pos = entry.end;
            String key = "";
            byte[] value = new byte[0];
            while (entry.hasMore()) {
                long tag = entry.varint();
                if (tag == ((1 << 3) | WIRE_LEN)) key = entry.string();
                else if (tag == ((2 << 3) | WIRE_LEN)) value = entry.bytes();
                else entry.skip((int) (tag & 7));
            }
            into.put(key, value);
        }

        void skip(int wireType) {
            switch (wireType) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_LEN -> advance(length());
                case WIRE_FIXED32 -> advance(4);
                default -> throw malformed("unsupported wire type " + wireType);
            }
        }

        private void advance(int n) {
            if (n > end - pos) throw malformed("field runs past the end");
            pos += n;
        }

        private DecryptionException malformed(String why) {
            return new DecryptionException("stored value is not a valid KMS v2 EncryptedObject: " + why
                    + " (at byte " + pos + ")");
        }
    }

    // -------------------------------------------------------------------------------------------------- validation

    /** Upstream's ValidateEncryptedObject minus the encryptedData check, which the header does not have. */
    static void validateHeader(String keyId, byte[] encryptedDekSource, Map<String, byte[]> annotations,
                               DekSourceType type) {
        if (type == null) throw new DecryptionException("encryptedDEKSourceType is missing");
        if (encryptedDekSource.length == 0) throw new DecryptionException("encrypted DEK source is empty");
        if (encryptedDekSource.length > ENCRYPTED_DEK_SOURCE_MAX_SIZE) {
            throw new DecryptionException("encrypted DEK source is " + encryptedDekSource.length
                    + " bytes, which exceeds the max size of " + ENCRYPTED_DEK_SOURCE_MAX_SIZE);
        }
        int keyIdSize = keyId.getBytes(StandardCharsets.UTF_8).length;
        if (keyIdSize == 0) throw new DecryptionException("keyID is empty");
        if (keyIdSize > KEY_ID_MAX_SIZE) {
            throw new DecryptionException("keyID is " + keyIdSize + " bytes, which exceeds the max size of "
                    + KEY_ID_MAX_SIZE);
        }
        long total = 0;
        for (Map.Entry<String, byte[]> e : annotations.entrySet()) {
            if (!isFullyQualifiedDomainName(e.getKey())) {
                throw new DecryptionException("annotation key " + LogSafe.quote(e.getKey())
                        + " is not a fully qualified domain name (lower case, at least two labels, no '/')");
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + (long) e.getValue().length;
        }
        if (total > ANNOTATIONS_MAX_SIZE) {
            throw new DecryptionException("total size of annotations is " + total + ", which exceeds the max size of "
                    + ANNOTATIONS_MAX_SIZE);
        }
    }

    static boolean isFullyQualifiedDomainName(String name) {
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        if (name.isEmpty() || name.length() > 253) return false;
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) return false;
        for (String label : labels) {
            if (label.length() > 63 || !DNS1123_LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    // --------------------------------------------------------------------------------------------------- cache key

    /**
     * Identifies the wrapped seed this value was written under, in upstream's {@code generateCacheKey} layout
     * (big-endian): {@code u32 type || u16-prefixed encryptedDEKSource || u16-prefixed keyID} then, if there are
     * annotations, {@code u32 count || (u16-prefixed key || u16-prefixed value)} sorted by key. Every part is
     * length-prefixed, so two different headers can never produce the same key.
     */
    byte[] seedCacheKey() {
        return seedCacheKey(dekSourceType, encryptedDekSource, keyId, annotations);
    }

    static byte[] seedCacheKey(DekSourceType type, byte[] encryptedDekSource, String keyId,
                               Map<String, byte[]> annotations) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        List<String> keys = sortedKeys(annotations);
        int size = 4 + 2 + encryptedDekSource.length + 2 + id.length;
        if (!keys.isEmpty()) {
            size += 4;
            for (String k : keys) size += 2 + k.getBytes(StandardCharsets.UTF_8).length + 2 + annotations.get(k).length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(type.wireValue);
        out.putShort((short) encryptedDekSource.length).put(encryptedDekSource);
        out.putShort((short) id.length).put(id);
        if (!keys.isEmpty()) {
            out.putInt(keys.size());
            for (String k : keys) {
                byte[] kb = k.getBytes(StandardCharsets.UTF_8);
                byte[] v = annotations.get(k);
                out.putShort((short) kb.length).put(kb);
                out.putShort((short) v.length).put(v);
            }
        }
        return out.array();
    }

    private static List<String> sortedKeys(Map<String, byte[]> annotations) {
        // Annotation keys are validated ASCII, so String order equals Go's byte order.
        List<String> keys = new ArrayList<>(annotations.keySet());
        Collections.sort(keys);
        return keys;
    }
}
