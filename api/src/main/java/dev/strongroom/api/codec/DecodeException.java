package dev.strongroom.api.codec;

/**
 * A request body that cannot be decoded. The message is the bare upstream error ({@code unexpected EOF},
 * {@code illegal base64 data at input byte 3}, {@code json: cannot unmarshal ...}); the server wraps it the way
 * kube-apiserver's {@code transformDecodeError} does, e.g. {@code Secret in version "v1" cannot be handled as a
 * Secret: <message>}. {@link #apiVersion()}/{@link #kind()} are what the body declared, when that much was readable.
 */
public final class DecodeException extends Exception {
    private final String apiVersion;
    private final String kind;

    public DecodeException(String message) {
        this(message, null, null);
    }

    public DecodeException(String message, String apiVersion, String kind) {
        super(message, null, false, false);
        this.apiVersion = apiVersion;
        this.kind = kind;
    }

    /** The declared apiVersion, or null if the body did not get that far. */
    public String apiVersion() { return apiVersion; }

    /** The declared kind, or null if the body did not get that far. */
    public String kind() { return kind; }
}
