package dev.kindling.internal.eventlog;

/**
 * A failure read back from an event log: the original exception's class name, message, stack trace
 * and cause chain, without the original class (which the reader may not have, and need not load).
 * {@link #toString()} reads as the original's would.
 */
public final class LoggedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String className;

    /** An exception standing for one of class {@code className} with {@code message} (may be null). */
    public LoggedException(String className, String message, StackTraceElement[] stackTrace, Throwable cause) {
        super(message, cause, false, true);
        this.className = className;
        setStackTrace(stackTrace);
    }

    /** Name of the original exception's class, such as {@code java.lang.IllegalStateException}. */
    public String className() {
        return className;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message != null ? className + ": " + message : className;
    }
}
