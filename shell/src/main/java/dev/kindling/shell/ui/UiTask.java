package dev.kindling.shell.ui;

import dev.kindling.scheduler.TaskLocality;
import dev.kindling.scheduler.TaskMetrics;

/**
 * One task attempt as the status UI keeps it: where and when it ran, how it ended and what it
 * measured. Written by {@link StatusStore} under its lock; read through {@link StatusStore#read}.
 */
final class UiTask {

    final long taskId;
    final int partition;
    final int attempt;
    final String executorId;
    final String executorThread;
    final long launchTime;
    /** The host of its executor. */
    String host = "localhost";
    /** How close to its input it ran (Spark's {@code taskLocality}). */
    final TaskLocality locality;
    long finishTime = -1;
    /** RUNNING, SUCCESS, FAILED or KILLED (Spark's task status names). */
    String status = "RUNNING";
    String errorMessage;
    TaskMetrics metrics;

    UiTask(long taskId, int partition, int attempt, String executorId, String executorThread, long launchTime,
           TaskLocality locality) {
        this.locality = locality;
        this.taskId = taskId;
        this.partition = partition;
        this.attempt = attempt;
        this.executorId = executorId;
        this.executorThread = executorThread;
        this.launchTime = launchTime;
    }

    /** A copy, for reading outside the store's lock (the metrics of an ended task no longer change). */
    UiTask copy() {
        UiTask c = new UiTask(taskId, partition, attempt, executorId, executorThread, launchTime, locality);
        c.host = host;
        c.finishTime = finishTime;
        c.status = status;
        c.errorMessage = errorMessage;
        c.metrics = metrics;
        return c;
    }

    /** Milliseconds from launch to end; for a running task, to {@code now}. */
    long duration(long now) {
        return (finishTime < 0 ? now : finishTime) - launchTime;
    }
}
