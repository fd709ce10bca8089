package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;

/**
 * What a result task does with its partition: consumes the partition's iterator and returns a value
 * that is handed to the job's {@link ResultHandler} on the driver. Serializable: it travels to the
 * executor inside the task binary.
 *
 * @param <R> the per-partition result type
 */
@FunctionalInterface
public interface TaskFunction<R> extends java.io.Serializable {

    /** Computes the partition's result; runs on an executor thread. */
    R apply(TaskContext context, Iterator<?> partition) throws Exception;
}
