package dev.strongroom.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.strongroom.api.codec.Schema.Field;
import dev.strongroom.api.codec.Schema.ListOf;
import dev.strongroom.api.codec.Schema.MapOf;
import dev.strongroom.api.codec.Schema.Scalar;
import dev.strongroom.api.codec.Schema.Struct;
import dev.strongroom.api.json.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Rbac;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies (kubectl 1.32+ sends them for every typed
 * client call) into the JSON object kube-apiserver would see: the {@code k8s\0} magic, a {@code runtime.Unknown}
 * envelope naming apiVersion and kind, then the object's own message, converted field by field through
 * {@link KindSchemas} and {@link GoJson#canonical canonicalised}. The result equals what kubectl 1.31 sends as
 * JSON for the same command, so the server needs one code path after decoding.
 *
 * <p>The generated classes of {@code io.kubernetes:client-java-proto} do the parsing. Before them, a small walker
 * checks the wire format the way gogo-protobuf's generated {@code Unmarshal} does, because protobuf-java silently
 * tolerates what Go rejects (a known field with the wrong wire type) and words its errors differently; upstream's
 * messages ({@code unexpected EOF}, {@code proto: wrong wireType = 0 for field Name}) are what clients get.
 */
public final class ProtobufDecoder {
    private ProtobufDecoder() {}

    /** {@code k8s\0}, the prefix of every Kubernetes protobuf body. */
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCHEME = "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30";

    private static final Map<String, Message> PROTOTYPES = new HashMap<>();
    static {
        String authn = "authentication.k8s.io/v1", authz = "authorization.k8s.io/v1", rbac = "rbac.authorization.k8s.io/v1";
        PROTOTYPES.put("v1/Secret", V1.Secret.getDefaultInstance());
        PROTOTYPES.put("v1/Namespace", V1.Namespace.getDefaultInstance());
        PROTOTYPES.put("v1/ServiceAccount", V1.ServiceAccount.getDefaultInstance());
        PROTOTYPES.put(authn + "/TokenRequest", V1Authentication.TokenRequest.getDefaultInstance());
        PROTOTYPES.put(authn + "/TokenReview", V1Authentication.TokenReview.getDefaultInstance());
        PROTOTYPES.put(authn + "/SelfSubjectReview", V1Authentication.SelfSubjectReview.getDefaultInstance());
        PROTOTYPES.put(authz + "/SelfSubjectAccessReview", V1Authorization.SelfSubjectAccessReview.getDefaultInstance());
        PROTOTYPES.put(authz + "/LocalSubjectAccessReview", V1Authorization.LocalSubjectAccessReview.getDefaultInstance());
        PROTOTYPES.put(authz + "/SubjectAccessReview", V1Authorization.SubjectAccessReview.getDefaultInstance());
        PROTOTYPES.put(authz + "/SelfSubjectRulesReview", V1Authorization.SelfSubjectRulesReview.getDefaultInstance());
        PROTOTYPES.put(rbac + "/Role", V1Rbac.Role.getDefaultInstance());
        PROTOTYPES.put(rbac + "/ClusterRole", V1Rbac.ClusterRole.getDefaultInstance());
        PROTOTYPES.put(rbac + "/RoleBinding", V1Rbac.RoleBinding.getDefaultInstance());
        PROTOTYPES.put(rbac + "/ClusterRoleBinding", V1Rbac.ClusterRoleBinding.getDefaultInstance());
        for (String gv : new String[] {"meta.k8s.io/v1", "v1", authn, authz, rbac}) {
            PROTOTYPES.put(gv + "/DeleteOptions", Meta.DeleteOptions.getDefaultInstance());
        }
    }

    /** Decodes a body that must name its own apiVersion and kind. */
    public static ObjectNode decode(byte[] body) throws DecodeException {
        return decode(body, null, null);
    }

    /**
     * Decodes a body; an empty apiVersion or kind in the envelope is taken from the endpoint's defaults, as the
     * serializer's {@code copyKindDefaults} does.
     */
    public static ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind) throws DecodeException {
        if (body.length == 0) throw new DecodeException("empty data");
        if (body.length < MAGIC.length || !Arrays.equals(MAGIC, 0, MAGIC.length, body, 0, MAGIC.length)) {
            throw new DecodeException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        if (body.length == MAGIC.length) throw new DecodeException("empty body");

        new WireCheck(body).message(MAGIC.length, body.length, Runtime.Unknown.getDescriptor());
        Runtime.Unknown unknown;
        try {
            unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw new DecodeException(e.getMessage());
        }
        String bodyVersion = unknown.getTypeMeta().getApiVersion();
        String bodyKind = unknown.getTypeMeta().getKind();
        String apiVersion = bodyVersion.isEmpty() && defaultApiVersion != null ? defaultApiVersion : bodyVersion;
        String kind = bodyKind.isEmpty() && defaultKind != null ? defaultKind : bodyKind;
        String typeMeta = "runtime.TypeMeta{APIVersion:" + goQuote(bodyVersion) + ", Kind:" + goQuote(bodyKind) + "}";
        if (kind.isEmpty()) throw new DecodeException("Object 'Kind' is missing in '" + typeMeta + "'");
        if (apiVersion.isEmpty()) throw new DecodeException("Object 'apiVersion' is missing in '" + typeMeta + "'");

        Struct schema = KindSchemas.of(apiVersion, kind);
        Message prototype = PROTOTYPES.get(apiVersion + "/" + kind);
        if (schema == null || prototype == null) {
            throw new DecodeException("no kind " + goQuote(kind) + " is registered for version " + goQuote(apiVersion)
                    + " in scheme " + goQuote(SCHEME), apiVersion, kind);
        }
        byte[] raw = unknown.getRaw().toByteArray();
        Message message;
        try {
            new WireCheck(raw).message(0, raw.length, prototype.getDescriptorForType());
            message = prototype.getParserForType().parseFrom(raw);
        } catch (DecodeException e) {
            throw new DecodeException(e.getMessage(), apiVersion, kind);
        } catch (InvalidProtocolBufferException e) {
            throw new DecodeException(e.getMessage(), apiVersion, kind);
        }
        ObjectNode tree = struct(message, schema);
        tree.put("kind", kind);
        tree.put("apiVersion", apiVersion);
        return GoJson.canonical(tree, schema);
    }

    // ---- message → JSON tree, guided by the Go schema ----

    /** Every field present on the wire; absent ones are left to {@link GoJson} to default or omit. */
    private static ObjectNode struct(Message m, Struct schema) {
        ObjectNode out = NODES.objectNode();
        Descriptor d = m.getDescriptorForType();
        for (Field f : schema.fields()) {
            FieldDescriptor fd = find(d, f.name());
            if (fd == null) continue; // kind/apiVersion live in the envelope
            if (fd.isMapField()) {
                int n = m.getRepeatedFieldCount(fd);
                if (n == 0) continue; // a nil map
                MapOf map = (MapOf) f.schema();
                ObjectNode o = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    Message entry = (Message) m.getRepeatedField(fd, i);
                    FieldDescriptor kfd = entry.getDescriptorForType().findFieldByNumber(1);
                    FieldDescriptor vfd = entry.getDescriptorForType().findFieldByNumber(2);
                    o.set((String) entry.getField(kfd), value(entry.getField(vfd), map.value()));
                }
                out.set(f.name(), o);
            } else if (fd.isRepeated()) {
                int n = m.getRepeatedFieldCount(fd);
                if (n == 0) continue; // a nil slice: protobuf cannot tell it from an empty one
                Schema element = ((ListOf) f.schema()).element();
                ArrayNode a = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) a.add(value(m.getRepeatedField(fd, i), element));
                out.set(f.name(), a);
            } else if (m.hasField(fd)) {
                out.set(f.name(), value(m.getField(fd), f.schema()));
            }
        }
        return out;
    }

    private static JsonNode value(Object v, Schema schema) {
        return switch (schema) {
            case Struct s -> struct((Message) v, s);
            case Scalar s -> switch (s.kind()) {
                case STRING -> NODES.textNode((String) v);
                case BOOL -> NODES.booleanNode((Boolean) v);
                case INT32, INT64 -> NODES.numberNode(((Number) v).longValue());
                case BYTES -> NODES.textNode(GoBase64.encode(((ByteString) v).toByteArray()));
                case TIME -> time((Message) v);
            };
            case ListOf l -> {
                // A named slice ({@code ExtraValue}) travels as a message wrapping its items.
                Message wrapper = (Message) v;
                FieldDescriptor items = wrapper.getDescriptorForType().findFieldByName("items");
                int n = wrapper.getRepeatedFieldCount(items);
                if (n == 0) yield NullNode.instance;
                ArrayNode a = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) a.add(value(wrapper.getRepeatedField(items, i), l.element()));
                yield a;
            }
            case MapOf m -> throw new IllegalStateException("nested map");
            case Schema.FreeForm f -> {
                // FieldsV1{Raw}: the raw bytes are JSON.
                Message fields = (Message) v;
                ByteString raw = (ByteString) fields.getField(fields.getDescriptorForType().findFieldByNumber(1));
                try {
                    yield raw.isEmpty() ? NullNode.instance : Json.parse(raw.toByteArray());
                } catch (IOException e) {
                    yield NullNode.instance;
                }
            }
        };
    }

    /**
     * {@code metav1.Time.Unmarshal}: an empty message is the zero time (JSON null); otherwise the seconds, the
     * nanoseconds being dropped on purpose upstream so that JSON and protobuf clients store the same value.
     */
    private static JsonNode time(Message t) {
        if (t.getSerializedSize() == 0) return NullNode.instance;
        Object seconds = t.getField(t.getDescriptorForType().findFieldByNumber(1));
        return NODES.textNode(GoTime.format(Instant.ofEpochSecond((Long) seconds)));
    }

    /** The proto field for a JSON name; the generator's only spelling difference is {@code uID}. */
    private static FieldDescriptor find(Descriptor d, String jsonName) {
        FieldDescriptor fd = d.findFieldByName(jsonName);
        if (fd != null) return fd;
        for (FieldDescriptor f : d.getFields()) {
            if (f.getName().equalsIgnoreCase(jsonName)) return f;
        }
        return null;
    }

    private static String goQuote(String s) {
        return dev.strongroom.api.errors.GoQuote.quote(s);
    }

    /**
     * The checks of gogo-protobuf's generated {@code Unmarshal} methods, with their messages: truncation is
     * {@code unexpected EOF}, a known field with the wrong wire type is rejected, unknown fields are skipped.
     */
    private static final class WireCheck {
        private final byte[] b;

        WireCheck(byte[] b) { this.b = b; }

        void message(int off, int end, Descriptor d) throws DecodeException {
            String name = goMessageName(d);
            while (off < end) {
                long[] tag = varint(off, end);
                off = (int) tag[1];
                long fieldNum = tag[0] >>> 3;
                int wireType = (int) (tag[0] & 7);
                if (wireType == 4) throw new DecodeException("proto: " + name + ": wiretype end group for non-group");
                if (fieldNum <= 0) {
                    throw new DecodeException("proto: " + name + ": illegal tag " + fieldNum + " (wire type " + wireType + ")");
                }
                FieldDescriptor fd = fieldNum > Integer.MAX_VALUE ? null : d.findFieldByNumber((int) fieldNum);
                if (fd == null) {
                    off = skip(off, end, wireType);
                    continue;
                }
                int expected = fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        || fd.getJavaType() == FieldDescriptor.JavaType.STRING
                        || fd.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING ? 2 : 0;
                if (wireType != expected) {
                    throw new DecodeException("proto: wrong wireType = " + wireType + " for field " + goFieldName(fd));
                }
                if (wireType == 0) {
                    off = (int) varint(off, end)[1];
                } else {
                    int[] span = lengthDelimited(off, end);
                    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) message(span[0], span[1], fd.getMessageType());
                    off = span[1];
                }
            }
        }

        private long[] varint(int off, int end) throws DecodeException {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift >= 64) throw new DecodeException("proto: integer overflow");
                if (off >= end) throw new DecodeException("unexpected EOF");
                int c = b[off++] & 0xff;
                v |= (long) (c & 0x7f) << shift;
                if (c < 0x80) return new long[] {v, off};
            }
        }

        private int[] lengthDelimited(int off, int end) throws DecodeException {
            long[] len = varint(off, end);
            int start = (int) len[1];
            if (len[0] < 0) throw new DecodeException("proto: negative length found during unmarshaling");
            long post = start + len[0];
            if (post < 0) throw new DecodeException("proto: negative length found during unmarshaling");
            if (post > end) throw new DecodeException("unexpected EOF");
            return new int[] {start, (int) post};
        }

        /** gogo's {@code skipGenerated}. */
        private int skip(int off, int end, int wireType) throws DecodeException {
            int depth = 0;
            while (true) {
                switch (wireType) {
                    case 0 -> off = (int) varint(off, end)[1];
                    case 1 -> off += 8;
                    case 2 -> off = lengthDelimited(off, end)[1];
                    case 3 -> depth++;
                    case 4 -> {
                        if (depth == 0) throw new DecodeException("proto: unexpected end of group");
                        depth--;
                    }
                    case 5 -> off += 4;
                    default -> throw new DecodeException("proto: illegal wireType " + wireType);
                }
                if (off < 0) throw new DecodeException("proto: negative length found during unmarshaling");
                if (off > end) throw new DecodeException("unexpected EOF");
                if (depth == 0) return off;
                long[] tag = varint(off, end);
                off = (int) tag[1];
                wireType = (int) (tag[0] & 7);
            }
        }

        private static String goMessageName(Descriptor d) {
            // metav1.Time's hand-written Unmarshal delegates to the generated Timestamp.
            return d.getName().equals("Time") ? "Timestamp" : d.getName();
        }

        /** The Go struct field name gogo prints: the JSON name capitalised, initialisms upper-cased. */
        private static String goFieldName(FieldDescriptor fd) {
            String n = fd.getName();
            if (n.equalsIgnoreCase("uid")) return "UID";
            if (n.startsWith("api")) return "API" + n.substring(3);
            return Character.toUpperCase(n.charAt(0)) + n.substring(1);
        }
    }
}
