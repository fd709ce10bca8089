package dev.kindling.scheduler;

/**
 * Stands in for an exception a task threw that could not cross the task boundary (it does not
 * serialize, or the driver cannot load its class): it keeps the original's class name, message and
 * stack trace, and so does its cause chain. A job that fails because of such an exception has this
 * as the cause of its {@link JobFailedException}.
 */
public final class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String className;

    /**
     * Creates the stand-in for an exception of class {@code className} with {@code message} (may be
     * null) and the original's {@code stackTrace}.
     */
    public RemoteTaskException(String className, String message, StackTraceElement[] stackTrace, Throwable cause) {
        super(className + (message == null ? "" : ": " + message), cause);
        this.className = className;
        setStackTrace(stackTrace == null ? new StackTraceElement[0] : stackTrace);
    }

    /** The fully qualified class name of the exception the task threw. */
    public String className() {
        return className;
    }

    /** A stand-in for {@code t} and its causes, made of strings and stack frames only (always serializable). */
    public static RemoteTaskException of(Throwable t) {
        return of(t, 0);
    }

    private static RemoteTaskException of(Throwable t, int depth) {
        Throwable cause = t.getCause();
        RemoteTaskException standIn = new RemoteTaskException(t.getClass().getName(), safeMessage(t), t.getStackTrace(),
                cause == null || cause == t || depth >= 16 ? null : of(cause, depth + 1));
        return standIn;
    }

    private static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException e) {
            return "(getMessage() threw " + e.getClass().getName() + ")";
        }
    }
}
