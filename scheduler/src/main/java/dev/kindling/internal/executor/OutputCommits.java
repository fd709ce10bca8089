package dev.kindling.internal.executor;

/**
 * How a task that writes output asks the driver for permission: whether its attempt may commit a
 * partition's output (the first attempt to ask wins, as Spark's {@code OutputCommitCoordinator}),
 * and whether the save job it writes for still accepts writers. Reached from a task through
 * {@link ExecutorEnv#outputCommits()}: in local mode the driver's coordinator itself, in an executor
 * process a client of it.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public interface OutputCommits {

    /**
     * Whether the attempt ({@code stageAttempt}, {@code attemptNumber}) may commit partition
     * {@code partition} of stage {@code stageId}: true for the first attempt that asks (and again
     * for it), false for every other while that one holds the permission. A permission is released
     * when its attempt fails or is lost, so a later attempt can commit.
     */
    boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber);

    /**
     * Registers a writer of the save job {@code jobTag}; false when the job has ended (or is
     * unknown), and the attempt must then write nothing. Every true is paired with one {@link #exit}.
     */
    boolean enter(String jobTag);

    /** A writer of {@code jobTag} that {@link #enter} admitted has ended (its attempt files are gone). */
    void exit(String jobTag);
}
