package dev.kindling.scheduler;

/**
 * Receives scheduler events: jobs, stages, tasks and executors. Every method has an empty default, so implement only what you need.
 *
 * <p>Threading: all events are delivered, in order, on the scheduler's event thread. A listener
 * must return quickly and must not run jobs; an exception it throws is logged and ignored.
 */
public interface SchedulerListener {

    /** A job was submitted. */
    default void onJobStart(SchedulerEvent.JobStart event) {
    }

    /** A job ended. */
    default void onJobEnd(SchedulerEvent.JobEnd event) {
    }

    /** A stage's tasks were queued. */
    default void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
    }

    /** A stage ended. */
    default void onStageCompleted(SchedulerEvent.StageCompleted event) {
    }

    /** A task attempt started. */
    default void onTaskStart(SchedulerEvent.TaskStart event) {
    }

    /** A task attempt ended. */
    default void onTaskEnd(SchedulerEvent.TaskEnd event) {
    }

    /** An executor joined (the driver's own at start, or an executor process that registered). */
    default void onExecutorAdded(SchedulerEvent.ExecutorAdded event) {
    }

    /** An executor left (lost, or stopped when the context closed). */
    default void onExecutorRemoved(SchedulerEvent.ExecutorRemoved event) {
    }

    /** An executor process stored or dropped a cached RDD partition ({@code local-cluster} only). */
    default void onBlockUpdated(SchedulerEvent.BlockUpdated event) {
    }
}
