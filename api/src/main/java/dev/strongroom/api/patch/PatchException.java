package dev.strongroom.api.patch;

/**
 * A patch that cannot be applied. {@link #getMessage()} is the precise upstream error text; {@link #code()} is the
 * HTTP status kube-apiserver answers with: 400 (BadRequest: malformed patch), 413 (too many JSON-patch operations),
 * 422 (Invalid: a JSON-patch operation failed, lists of lists), or 500 (upstream returns a plain error, i.e. a Status
 * with reason {@code ""} and this message).
 */
public final class PatchException extends Exception {
    /** What kube-apiserver's {@code NewGenericServerResponse(422, ...)} says instead of the operation's error. */
    public static final String GENERIC_422 = "the server rejected our request due to an error in our request";

    private final int code;
    private final boolean hiddenUpstream;

    public PatchException(int code, String message) {
        this(code, message, false);
    }

    PatchException(int code, String message, boolean hiddenUpstream) {
        super(message, null, false, false);
        this.code = code;
        this.hiddenUpstream = hiddenUpstream;
    }

    public int code() { return code; }

    /**
     * The {@code message} of the Status kube-apiserver sends. For failed JSON-patch operations upstream discards the
     * precise text and sends {@link #GENERIC_422}; a server preferring clearer errors may use {@link #getMessage()}.
     */
    public String statusMessage() {
        return hiddenUpstream ? GENERIC_422 : getMessage();
    }

    static PatchException badRequest(String message) { return new PatchException(400, message); }
    static PatchException invalid(String message) { return new PatchException(422, message); }
    static PatchException internal(String message) { return new PatchException(500, message); }
}
