package dev.kindling.internal.scheduler.backend;

/**
 * A task failure reported by a backend because the executor running the task was lost, with whether
 * it counts toward {@code kindling.task.maxFailures} (Spark's {@code ExecutorLostFailure} and its
 * {@code exitCausedByApp}). A task whose executor died under it did nothing wrong: the scheduler runs
 * it again elsewhere without counting the attempt. A task that could not be placed at all (no executor
 * is left, or it could not be sent) counts, so a cluster with no executor fails its jobs instead of
 * retrying forever.
 */
public interface ExecutorLossFailure {

    /** Whether this failure counts as one of the task's {@code kindling.task.maxFailures} attempts. */
    boolean countsTowardTaskFailures();
}
