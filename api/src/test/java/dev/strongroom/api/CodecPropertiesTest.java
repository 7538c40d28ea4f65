package dev.strongroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.strongroom.api.codec.GoBase64;
import dev.strongroom.api.codec.GoJson;
import dev.strongroom.api.codec.KindSchemas;
import dev.strongroom.api.codec.ProtobufDecoder;
import dev.strongroom.api.codec.Schema;
import dev.strongroom.api.codec.StrictDecoding;
import dev.strongroom.api.json.Json;
import dev.strongroom.api.meta.ManagedFields;
import dev.strongroom.api.patch.JsonMergePatch;
import dev.strongroom.api.patch.StrategicMergePatch;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants across the codecs, patches and managed fields, on generated Secrets. */
class CodecPropertiesTest {

    private static final Schema.Struct SECRET = KindSchemas.of("v1", "Secret");

    /** A Secret's parts: name, labels, data, type, immutable (null = unset). */
    record SecretParts(String name, Map<String, String> labels, Map<String, byte[]> data, String type, Boolean immutable) {
        ObjectNode json() {
            ObjectNode o = Json.object().put("kind", "Secret").put("apiVersion", "v1");
            ObjectNode m = o.putObject("metadata").put("name", name);
            if (!labels.isEmpty()) labels.forEach(m.putObject("labels")::put);
            if (!data.isEmpty()) {
                ObjectNode d = o.putObject("data");
                data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(v)));
            }
            if (!type.isEmpty()) o.put("type", type);
            if (immutable != null) o.put("immutable", immutable);
            return o;
        }

        V1.Secret proto() {
            V1.Secret.Builder b = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName(name)
                    .setNamespace("").setGeneration(0).setCreationTimestamp(Meta.Time.getDefaultInstance()).putAllLabels(labels));
            data.forEach((k, v) -> b.putData(k, ByteString.copyFrom(v)));
            b.setType(type);
            if (immutable != null) b.setImmutable(immutable);
            return b.build();
        }
    }

    @Provide
    Arbitrary<SecretParts> secrets() {
        Arbitrary<String> keys = Arbitraries.strings().withChars("abcxyz.-_").ofMinLength(1).ofMaxLength(6);
        return Combinators.combine(
                Arbitraries.strings().withChars("abc-").ofMinLength(1).ofMaxLength(8),
                Arbitraries.maps(keys, Arbitraries.strings().alpha().ofMaxLength(5)).ofMaxSize(3),
                Arbitraries.maps(keys, Arbitraries.bytes().array(byte[].class).ofMaxSize(10)).ofMaxSize(4),
                Arbitraries.of("", "Opaque", "kubernetes.io/tls"),
                Arbitraries.of(true, false).injectNull(0.5)
        ).as(SecretParts::new);
    }

    @Property(tries = 200)
    void base64RoundTrips(@ForAll @Size(max = 64) byte[] data) throws Exception {
        assertThat(GoBase64.decode(GoBase64.encode(data))).isEqualTo(data);
    }

    /** Whatever Go's decoder accepts, Java's agrees on (after the line breaks Go skips). */
    @Property(tries = 500)
    void base64AgreesWithJavaWhereGoAccepts(@ForAll("base64ish") String s) {
        byte[] go;
        try {
            go = GoBase64.decode(s);
        } catch (GoBase64.CorruptInputException e) {
            return;
        }
        assertThat(Base64.getDecoder().decode(s.replace("\r", "").replace("\n", ""))).isEqualTo(go);
    }

    @Provide
    Arbitrary<String> base64ish() {
        return Arbitraries.strings().withChars("QWERTYabcxyz019+/=\n\r").ofMaxLength(14);
    }

    /** Protobuf (kubectl 1.32+) and JSON (kubectl 1.31) bodies for the same Secret decode to the same object. */
    @Property(tries = 200)
    void protobufAndJsonAgree(@ForAll("secrets") SecretParts s) throws Exception {
        Runtime.Unknown u = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Secret"))
                .setRaw(s.proto().toByteString()).build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x6b, 0x38, 0x73, 0x00});
        body.writeBytes(u.toByteArray());
        ObjectNode fromProto = ProtobufDecoder.decode(body.toByteArray());
        StrictDecoding.Decoded fromJson = StrictDecoding.decode(Json.bytes(s.json()), SECRET);
        assertThat(fromJson.strictErrors()).isEmpty();
        assertThat(Json.string(fromProto)).isEqualTo(Json.string(fromJson.object()));
    }

    @Property(tries = 200)
    void canonicalFormIsAFixedPoint(@ForAll("secrets") SecretParts s) throws Exception {
        ObjectNode c = GoJson.canonical(s.json(), SECRET);
        assertThat(GoJson.canonical(c, SECRET)).isEqualTo(c);
        assertThat(StrictDecoding.decode(Json.bytes(c), SECRET).object()).isEqualTo(c);
    }

    @Property(tries = 200)
    void emptyPatchesChangeNothing(@ForAll("secrets") SecretParts s) throws Exception {
        ObjectNode c = GoJson.canonical(s.json(), SECRET);
        assertThat(StrategicMergePatch.apply(c, Json.object(), SECRET)).isEqualTo(c);
        assertThat(JsonMergePatch.apply(c, Json.object())).isEqualTo(c);
    }

    /** Labels set one after another by different managers: each label is owned by the last manager that set it. */
    @Property(tries = 50)
    void eachLabelIsOwnedByItsLastWriter(@ForAll("labelWrites") List<Map.Entry<String, String>> writes) {
        ObjectNode live = Json.object().put("kind", "Secret").put("apiVersion", "v1");
        live.putObject("metadata").put("name", "s");
        Map<String, String> lastWriter = new HashMap<>();
        Instant t = Instant.parse("2026-11-22T16:00:00Z");
        int i = 0;
        for (Map.Entry<String, String> w : writes) {
            String manager = w.getKey(), label = w.getValue();
            ObjectNode next = live.deepCopy();
            ObjectNode meta = (ObjectNode) next.get("metadata");
            ObjectNode labels = meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
            labels.put(label, "v" + i++);
            ArrayNode mf = ManagedFields.update(live, next, manager, "v1", t);
            meta.set("managedFields", mf);
            live = next;
            lastWriter.put(label, manager);
        }
        ArrayNode mf = (ArrayNode) live.at("/metadata/managedFields");
        lastWriter.forEach((label, manager) -> {
            int owners = 0;
            for (JsonNode e : mf) {
                if (e.at("/fieldsV1/f:metadata/f:labels").has("f:" + label)) {
                    owners++;
                    assertThat(e.get("manager").asText()).isEqualTo(manager);
                }
            }
            assertThat(owners).as("owners of " + label).isEqualTo(1);
        });
    }

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> labelWrites() {
        return Combinators.combine(Arbitraries.of("m1", "m2", "m3"), Arbitraries.of("a", "b", "c", "d"))
                .as(Map::entry).list().ofMinSize(1).ofMaxSize(8);
    }
}
