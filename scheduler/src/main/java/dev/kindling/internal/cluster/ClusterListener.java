package dev.kindling.internal.cluster;

/**
 * What a driver's scheduler hears from its executor processes. Methods are called on network handler
 * threads, the heartbeat monitor thread or a process-exit thread, possibly at once for different
 * executors, and must not block for long.
 */
public interface ClusterListener {

    /** An executor registered and can take tasks. */
    default void executorAdded(ExecutorInfo executor) {
    }

    /**
     * An executor is gone: its process exited, or its heartbeats stopped for longer than
     * {@code kindling.network.timeoutMs}. Called once per executor, never for executors stopped by
     * {@code close()}; its running tasks are lost.
     */
    void executorLost(String executorId, String reason);

    /** A task on {@code executorId} reported its status (opaque bytes: the task boundary's status update). */
    default void statusUpdate(String executorId, byte[] update) {
    }

    /**
     * Executor {@code executorId} stored the cached RDD partitions {@code stored} and dropped
     * {@code removed}, each as (rdd id, partition) pairs; reported before the status update of the task
     * that saw the change.
     */
    default void blocksUpdated(String executorId, int[] stored, int[] removed) {
    }

    /**
     * No executor will come any more (the resource manager ended the application): tasks waiting for
     * one should fail now. Called at most once, on the launcher's thread.
     */
    default void unavailable(String reason) {
    }

    /** A heartbeat came from {@code executorId} with its running tasks' metrics (opaque, may be empty). */
    default void heartbeat(String executorId, byte[] metrics) {
    }
}
