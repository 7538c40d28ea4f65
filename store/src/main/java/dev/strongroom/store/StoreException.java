package dev.strongroom.store;

/** The store could not do what was asked (I/O error, closed, corrupt). Messages never carry values. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) { super(message, cause); }
    public StoreException(String message) { super(message); }
}
