package dev.kindling.internal.scheduler;

import java.util.Map;

/**
 * Told of every successful task attempt, on the scheduler's event thread, before the job hears of
 * it. Accumulators use this to merge task-side updates with Spark's counting rule: result-task
 * updates count once per partition, shuffle-map updates on every successful attempt.
 */
@FunctionalInterface
public interface TaskOutcomeObserver {

    /**
     * Called for a successful attempt.
     *
     * @param accumulatorUpdates the attempt's accumulator copies by accumulator id, as its status update carried them
     * @param task         names the attempt (id, stage, partition) for messages
     * @param resultTask   whether the attempt belongs to a result (action) stage
     * @param firstSuccess whether this is the first successful attempt for that job partition
     */
    void onTaskSucceeded(Map<Long, Object> accumulatorUpdates, String task, boolean resultTask, boolean firstSuccess);
}
