package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskLocality;

/**
 * The driver's record of one launched task attempt: the stage attempt it belongs to, its partition
 * and attempt number, and the job it runs for. It holds nothing of the executor: what the attempt
 * did arrives in its status updates.
 */
final class TaskAttempt {

    final long taskId;
    final Stage stage;
    final int stageAttempt;
    final int partition;
    final int attemptNumber;
    final ActiveJob job;
    /** The loader of the job's classes, to read the attempt's result and accumulator updates with. */
    final ClassLoader loader;
    /** Set on the event thread when the scheduler no longer wants the attempt's outcome. */
    boolean killed;
    volatile String thread = "";
    /** The executor the backend placed the attempt on, and how local it was there (see {@link RunningAttempts#launched}). */
    volatile String executorId;
    volatile TaskLocality locality;

    TaskAttempt(long taskId, Stage stage, int partition, int attemptNumber, ActiveJob job, ClassLoader loader,
                String executorId, TaskLocality locality) {
        this.executorId = executorId;
        this.locality = locality;
        this.taskId = taskId;
        this.stage = stage;
        this.stageAttempt = stage.attempt;
        this.partition = partition;
        this.attemptNumber = attemptNumber;
        this.job = job;
        this.loader = loader;
    }

    SchedulerEvent.TaskInfo info() {
        return new SchedulerEvent.TaskInfo(taskId, partition, attemptNumber, thread, executorId, locality);
    }
}
