package dev.kindling.internal.cluster;

import dev.kindling.internal.scheduler.backend.ExecutorLossFailure;

/**
 * A task attempt failed because of its executor, not because of anything it did: the executor process
 * running it was lost (its process exited or its heartbeats stopped), or no executor could take it.
 * The scheduler runs it again on another executor; an attempt whose executor died under it does not
 * count toward {@code kindling.task.maxFailures}, one that found no executor does
 * ({@link #countsTowardTaskFailures()}).
 */
public final class ExecutorLostException extends RuntimeException implements ExecutorLossFailure {

    private static final long serialVersionUID = 1L;

    private final boolean counts;

    /** A failure saying which task and executor, and why: it counts toward {@code kindling.task.maxFailures}. */
    public ExecutorLostException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * A failure saying which task and executor, and why; {@code countsTowardTaskFailures} false for a
     * task whose executor died while it ran.
     */
    public ExecutorLostException(String message, Throwable cause, boolean countsTowardTaskFailures) {
        super(message, cause);
        this.counts = countsTowardTaskFailures;
    }

    @Override
    public boolean countsTowardTaskFailures() {
        return counts;
    }
}
