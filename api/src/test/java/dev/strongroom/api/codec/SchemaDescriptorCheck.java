package dev.strongroom.api.codec;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that a {@link Schema.Struct} and a generated protobuf message describe the same Go type. */
final class SchemaDescriptorCheck {
    private SchemaDescriptorCheck() {}

    static void check(Schema.Struct s, Descriptor d, String path) {
        for (FieldDescriptor fd : d.getFields()) {
            Schema.Field f = null;
            for (Schema.Field c : s.fields()) if (c.name().equalsIgnoreCase(fd.getName())) f = c;
            assertThat(f).as("%s.%s is in the proto but not in the schema", path, fd.getName()).isNotNull();
            if (fd.isMapField()) {
                assertThat(f.schema()).as(path + "." + f.name()).isInstanceOf(Schema.MapOf.class);
                FieldDescriptor value = fd.getMessageType().findFieldByNumber(2);
                element(((Schema.MapOf) f.schema()).value(), value, path + "." + f.name() + "[]");
            } else if (fd.isRepeated()) {
                assertThat(f.schema()).as(path + "." + f.name()).isInstanceOf(Schema.ListOf.class);
                element(((Schema.ListOf) f.schema()).element(), fd, path + "." + f.name() + "[]");
            } else {
                element(f.schema(), fd, path + "." + f.name());
            }
        }
        for (Schema.Field f : s.fields()) {
            if (f.name().equals("kind") || f.name().equals("apiVersion")) {
                if (d.findFieldByName(f.name()) == null) continue; // TypeMeta, in the envelope
            }
            boolean found = d.getFields().stream().anyMatch(fd -> fd.getName().equalsIgnoreCase(f.name()));
            assertThat(found).as("%s.%s is in the schema but not in the proto", path, f.name()).isTrue();
        }
    }

    private static void element(Schema schema, FieldDescriptor fd, String path) {
        switch (fd.getJavaType()) {
            case STRING -> assertKind(schema, Schema.ScalarKind.STRING, path);
            case BOOLEAN -> assertKind(schema, Schema.ScalarKind.BOOL, path);
            case LONG -> assertKind(schema, Schema.ScalarKind.INT64, path);
            case INT -> assertKind(schema, Schema.ScalarKind.INT32, path);
            case BYTE_STRING -> assertKind(schema, Schema.ScalarKind.BYTES, path);
            case MESSAGE -> {
                String name = fd.getMessageType().getName();
                if (name.equals("Time")) assertKind(schema, Schema.ScalarKind.TIME, path);
                else if (name.equals("FieldsV1")) assertThat(schema).as(path).isInstanceOf(Schema.FreeForm.class);
                else if (name.equals("ExtraValue")) assertThat(schema).as(path).isInstanceOf(Schema.ListOf.class);
                else {
                    assertThat(schema).as(path).isInstanceOf(Schema.Struct.class);
                    assertThat(schema.goType()).as(path).isEqualTo("v1." + name);
                    check((Schema.Struct) schema, fd.getMessageType(), path);
                }
            }
            default -> throw new AssertionError(path + ": " + fd.getJavaType());
        }
    }

    private static void assertKind(Schema schema, Schema.ScalarKind kind, String path) {
        assertThat(schema).as(path).isInstanceOf(Schema.Scalar.class);
        assertThat(((Schema.Scalar) schema).kind()).as(path).isEqualTo(kind);
    }
}
