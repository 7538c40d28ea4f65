package dev.strongroom.api.errors;

/** A resource and its API group; {@link #toString()} is the qualified form upstream messages use. */
public record GroupResource(String group, String resource) {
    public static GroupResource core(String resource) { return new GroupResource("", resource); }

    @Override
    public String toString() { return group.isEmpty() ? resource : resource + "." + group; }
}
