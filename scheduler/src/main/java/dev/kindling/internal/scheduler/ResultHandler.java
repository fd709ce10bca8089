package dev.kindling.internal.scheduler;

/**
 * Receives each partition's result on the driver side, once per partition, on the scheduler's
 * event thread. An exception thrown here fails the job (and only the job).
 *
 * @param <R> the per-partition result type
 */
@FunctionalInterface
public interface ResultHandler<R> {

    /** Takes the result of the {@code index}-th requested partition. */
    void onResult(int index, R result) throws Exception;
}
