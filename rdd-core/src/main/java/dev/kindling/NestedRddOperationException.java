package dev.kindling;

import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.NotRetryable;

/**
 * Thrown when a task (code running inside a transformation or action) creates an RDD or runs a
 * job: RDD operations are driver-only, as in Spark (SPARK-5063). Before this check such a job
 * waited for executor threads that its own task was holding, and hung. Retrying cannot help, so
 * the job fails at once ({@link NotRetryable}).
 */
public final class NestedRddOperationException extends IllegalStateException implements NotRetryable {

    private static final long serialVersionUID = 1L;

    private NestedRddOperationException(String message) {
        super(message);
    }

    /**
     * Throws if the current thread is running a task; {@code action} and {@code subject} say what was
     * attempted ("creating" and an RDD class, "running a job on" and an RDD). The message is built
     * only when it is thrown: this check runs for every RDD and job on the driver.
     */
    static void checkDriver(String action, Object subject) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            throw new NestedRddOperationException("RDD transformations and actions can only be invoked by the "
                    + "driver, not inside of other transformations; for example, "
                    + "rdd1.map(x -> rdd2.values().count() * x) is invalid because the values transformation "
                    + "and count action cannot be performed inside of the rdd1.map transformation (SPARK-5063). "
                    + "Attempted: " + action + " " + describe(subject) + ", inside task " + task.taskAttemptId()
                    + " (stage " + task.stageId() + ", partition " + task.partitionId() + "). Collect or broadcast the "
                    + "inner data on the driver first, or express the lookup as a join.");
        }
    }

    /** The subject's name for the message: a class (an RDD being constructed) by its simple name. */
    private static String describe(Object subject) {
        return subject instanceof Class<?> c ? c.getSimpleName() : String.valueOf(subject);
    }
}
