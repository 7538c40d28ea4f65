package dev.strongroom.server.transport;

/** The media types Strongroom reads and writes, and Accept-header questions about them. */
public final class MediaTypes {
    public static final String JSON = "application/json";
    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    public static final String YAML = "application/yaml";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";
    /** The spelling Go's mime parser accepts (the {@code @} form breaks kubectl). */
    public static final String OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private MediaTypes() {}

    /** The media type without parameters, lowercased. */
    public static String base(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
    }

    /** The Table version the client asked for ({@code v1} or {@code v1beta1}), or null if it did not ask. */
    public static String tableVersion(String accept) {
        if (accept == null || !accept.contains("as=Table")) return null;
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "");
            if (p.contains("as=Table") && p.contains("g=meta.k8s.io")) {
                if (p.contains("v=v1beta1")) return "v1beta1";
                if (p.contains("v=v1")) return "v1";
            }
        }
        return null;
    }
}
