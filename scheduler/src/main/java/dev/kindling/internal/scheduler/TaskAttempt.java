package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskContext;
import java.util.concurrent.Future;

/** One attempt of one task: the stage attempt it belongs to, its partition and its context. */
final class TaskAttempt {

    final long taskId;
    final Stage stage;
    final int stageAttempt;
    final int partition;
    final int attemptNumber;
    final TaskContext context;
    final ActiveJob job;
    Future<?> future;
    volatile String thread = "";

    TaskAttempt(long taskId, Stage stage, int partition, int attemptNumber, ActiveJob job) {
        this.taskId = taskId;
        this.stage = stage;
        this.stageAttempt = stage.attempt;
        this.partition = partition;
        this.attemptNumber = attemptNumber;
        this.job = job;
        this.context = new TaskContext(job.jobId, stage.id, stage.attempt, partition, attemptNumber, taskId);
        TaskContextAccess.get().setLocalProperties(this.context, job.properties);
    }

    SchedulerEvent.TaskInfo info() {
        return new SchedulerEvent.TaskInfo(taskId, partition, attemptNumber, thread);
    }
}
