package dev.kindling.scheduler;

import java.util.List;

/**
 * Events the scheduler reports to {@link SchedulerListener}s: job, stage and task starts and ends,
 * with metrics. The progress bar, logs and status pages are built on these.
 */
public sealed interface SchedulerEvent {

    /** Milliseconds since the epoch when the event happened. */
    long time();

    /** Calls the method of {@code listener} that takes this kind of event. */
    void deliverTo(SchedulerListener listener);

    /** A job was submitted; {@code stageIds} are the stages it may run (some may be skipped). */
    record JobStart(long time, int jobId, String description, String jobGroup, List<Integer> stageIds)
            implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onJobStart(this);
        }
    }

    /** A job ended; {@code failure} is null on success. */
    record JobEnd(long time, int jobId, Throwable failure) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onJobEnd(this);
        }

        /** Whether the job succeeded. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** A stage's tasks were queued. */
    record StageSubmitted(long time, StageInfo stage) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onStageSubmitted(this);
        }
    }

    /** A stage finished; {@code failureReason} is null on success. */
    record StageCompleted(long time, StageInfo stage, String failureReason) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onStageCompleted(this);
        }
    }

    /** A task attempt started on an executor thread. */
    record TaskStart(long time, int stageId, int stageAttempt, TaskInfo task) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onTaskStart(this);
        }
    }

    /** A task attempt ended; {@code failure} is null on success. */
    record TaskEnd(long time, int stageId, int stageAttempt, TaskInfo task, TaskMetrics metrics, String status,
                   Throwable failure) implements SchedulerEvent {
        @Override
        public void deliverTo(SchedulerListener listener) {
            listener.onTaskEnd(this);
        }

        /** Whether the attempt succeeded. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** Description of a stage attempt. */
    record StageInfo(int stageId, int attempt, String name, int numTasks, boolean shuffleMap) {
    }

    /** Description of a task attempt. */
    record TaskInfo(long taskId, int partition, int attempt, String executorThread) {
    }
}
