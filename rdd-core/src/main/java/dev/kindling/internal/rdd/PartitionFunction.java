package dev.kindling.internal.rdd;

import dev.kindling.scheduler.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/**
 * Turns one parent partition's iterator into a child partition's iterator, lazily.
 *
 * @param <T> parent element type
 * @param <R> child element type
 */
@FunctionalInterface
public interface PartitionFunction<T, R> extends Serializable {

    /** Returns the child iterator for partition {@code partition}. */
    Iterator<R> apply(TaskContext context, int partition, Iterator<T> parent) throws Exception;
}
