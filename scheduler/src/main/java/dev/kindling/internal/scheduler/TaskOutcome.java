package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.TaskMetrics;
import java.util.Map;

/**
 * A task attempt's end as the driver read it from its final status update: the result (result
 * tasks), or the failure; its accumulator updates by id, metrics and last status line.
 */
record TaskOutcome(Object result, Throwable failure, Map<Long, Object> accumulatorUpdates, TaskMetrics metrics,
                   String status) {
}
