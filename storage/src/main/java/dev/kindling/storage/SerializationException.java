package dev.kindling.storage;

/** Thrown when an object cannot be turned into bytes or read back; the cause is Kryo's exception. */
public final class SerializationException extends RuntimeException {

    /** Creates the exception with a message saying what failed and what to do. */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
