package dev.strongroom.scan.rules.images;

/**
 * A container image reference split the way the container runtime reads it:
 * {@code [registry/]repository[:tag][@digest]}, where the first path component is a registry only
 * if it contains a '.' or ':' or is {@code localhost} (otherwise Docker Hub is meant).
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    public static ImageReference parse(String image) {
        String rest = image.strip();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = "docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals("index.docker.io") ? "docker.io" : first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals("docker.io") && !rest.contains("/")) rest = "library/" + rest;
        return new ImageReference(registry, rest, tag, digest);
    }

    /** registry/repository, the string an allow-list entry is a prefix of. */
    public String location() {
        return registry + "/" + repository;
    }
}
