package dev.strongroom.crypto;

/** Stored bytes could not be decrypted. The message names the key id or format problem, never data. */
public class DecryptionException extends RuntimeException {
    public DecryptionException(String message) { super(message); }
    public DecryptionException(String message, Throwable cause) { super(message, cause); }
}
