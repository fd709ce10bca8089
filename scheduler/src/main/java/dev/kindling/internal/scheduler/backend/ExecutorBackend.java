package dev.kindling.internal.scheduler.backend;

import java.util.List;

/**
 * Carries task descriptions to executors and their status updates back: the scheduler's only way
 * to run tasks. The local backend is one executor in the driver's JVM; a cluster backend sends
 * descriptions to executor processes.
 *
 * <p>Contract:
 * <ol>
 *   <li>{@link #start} is called once, before any launch, with the listener every status update
 *       goes to.</li>
 *   <li>For every launched task the listener receives at most one RUNNING update, then exactly one
 *       final update (FINISHED, FAILED or KILLED), unless the backend was shut down first.</li>
 *   <li>{@link #killTask} of a task that has not started yields a KILLED update with
 *       {@code started() == false}; of a running one, its kill flag is set and (if asked) its thread
 *       interrupted, and it reports whatever it ends with.</li>
 * </ol>
 *
 * <p>Thread safety: {@link #launch} and {@link #killTask} are called from the scheduler's event
 * thread; status updates arrive on executor threads.
 */
public interface ExecutorBackend {

    /** Starts the backend; every status update goes to {@code listener}. */
    void start(StatusListener listener);

    /**
     * Whether task descriptions leave this JVM, or are encoded as if they did: then the scheduler
     * serializes each stage attempt's binary once, on the driver ({@link TaskBinary#serialize});
     * otherwise it hands over the payload objects ({@link TaskBinary#of}).
     */
    boolean serializesTasks();

    /** Number of task attempts that can run at once. */
    int parallelism();

    /** Queues a task attempt on an executor. */
    void launch(TaskDescription task);

    /**
     * Whether this backend places tasks by locality: then the scheduler computes each task's
     * {@link TaskPreferences} and launches it with {@link #launch(TaskDescription, TaskPreferences)}.
     * False for one executor (local mode), which so pays nothing per task for locality.
     */
    default boolean schedulesByLocality() {
        return false;
    }

    /**
     * Whether reduce tasks should prefer the executors holding most of their shuffle input
     * ({@code kindling.shuffle.reduceLocality.enabled}); asked once, and only when
     * {@link #schedulesByLocality()}. False by default.
     */
    default boolean reduceLocality() {
        return false;
    }

    /**
     * A reduce task could not fetch map output from executor {@code executorId}: checks, without
     * blocking the caller, whether that executor is still there, and if its process is gone or it does
     * not answer, removes it as lost (which reports its loss as an executor that died would). A no-op
     * by default (one executor in the driver's JVM: it cannot be lost).
     */
    default void checkExecutor(String executorId, String reason) {
    }

    /**
     * Queues a task attempt that would rather run where {@code preferences} say; the backend reports
     * where it placed it through {@link StatusListener#launched}. By default the preferences are
     * ignored.
     */
    default void launch(TaskDescription task, TaskPreferences preferences) {
        launch(task);
    }

    /**
     * The executors holding partition {@code partition} of RDD {@code rddId} in their block managers,
     * as they reported; empty by default (one executor: it is the driver's own block manager).
     */
    default java.util.Set<String> cachedLocations(int rddId, int partition) {
        return java.util.Set.of();
    }

    /**
     * Removes every cached partition of RDD {@code rddId} from the executors that hold one and waits
     * until they did (unpersist); a no-op by default (one executor: the driver removes its own).
     */
    default void removeRdd(int rddId) {
    }

    /**
     * Kills task {@code taskId}: drops it if it has not started, else sets its kill flag and, when
     * {@code interrupt}, interrupts its thread. A no-op for a task that already ended.
     */
    void killTask(long taskId, boolean interrupt, String reason);

    /**
     * Stops accepting work, interrupts running attempts and waits up to {@code timeoutMillis} for
     * them; attempts that ignore interruption are reported and abandoned, never waited for forever.
     *
     * @return one entry per executor thread still running after the timeout: its name, optionally
     *     followed by where it is, e.g. {@code "kindling-executor-1-2 (at App.lambda$main$0(App.java:12))"}
     */
    List<String> shutdown(long timeoutMillis);
}
