package dev.kindling.internal.cluster;

/**
 * A task attempt failed because the executor process running it was lost (its process exited or its
 * heartbeats stopped): nothing the task did is wrong, and the scheduler runs it again on another
 * executor (up to {@code kindling.task.maxFailures} attempts).
 */
public final class ExecutorLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure saying which task and executor, and why the executor was lost. */
    public ExecutorLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
