package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskMetrics;

/**
 * The measured values of a {@link TaskMetrics}, and the executor's way to record them: the
 * setters are kept off the public type, which user functions see. A value is updated by the
 * attempt's own thread, once per task or per batch (a spill, a file, a shuffle commit), never per
 * record. {@link #PEAK_EXECUTION_MEMORY} keeps the largest value recorded; the others add up.
 *
 * <p><b>Not a part of the public API</b>: this enum can change or disappear without notice.
 */
public enum TaskMetric {
    /** Wall time on the executor thread, nanoseconds. */
    RUN_NANOS,
    /** CPU time of the executor thread, nanoseconds. */
    CPU_NANOS,
    /** JVM garbage collection time while the task ran, milliseconds (JVM-wide). */
    GC_MILLIS,
    /** Time deserializing the task's own copies of its functions, nanoseconds. */
    DESERIALIZE_NANOS,
    /** Estimated bytes of a result task's result. */
    RESULT_BYTES,
    /** Bytes read from input files. */
    INPUT_BYTES,
    /** Records read from sources. */
    INPUT_RECORDS,
    /** Bytes of the files an output task wrote. */
    OUTPUT_BYTES,
    /** Records an output task wrote. */
    OUTPUT_RECORDS,
    /** Records a result task consumed. */
    RESULT_RECORDS,
    /** Bytes a map task wrote to the shuffle. */
    SHUFFLE_WRITE_BYTES,
    /** Records a map task wrote to the shuffle. */
    SHUFFLE_WRITE_RECORDS,
    /** Time writing shuffle files (spills and commit), nanoseconds. */
    SHUFFLE_WRITE_NANOS,
    /** Records a reduce task read from the shuffle. */
    SHUFFLE_READ_RECORDS,
    /** Bytes a reduce task read from map outputs of its own executor. */
    SHUFFLE_LOCAL_BYTES_READ,
    /** Bytes a reduce task fetched from other executors. */
    SHUFFLE_REMOTE_BYTES_READ,
    /** Time a reduce task waited for map outputs to become readable, nanoseconds. */
    SHUFFLE_FETCH_WAIT_NANOS,
    /** Estimated in-memory bytes of the data spilled. */
    MEMORY_BYTES_SPILLED,
    /** Bytes of the spill files written. */
    DISK_BYTES_SPILLED,
    /** Largest execution memory one buffer of the task held. */
    PEAK_EXECUTION_MEMORY;

    private static final TaskMetric[] ALL = values();

    /** Number of metrics. */
    public static int count() {
        return ALL.length;
    }

    /** Records {@code value} in the metrics of {@code task} (added, or kept if larger for a peak). */
    public void record(TaskContext task, long value) {
        record(task.metrics(), value);
    }

    /** Records {@code value} in {@code metrics} (added, or kept if larger for a peak). */
    public void record(TaskMetrics metrics, long value) {
        TaskContextAccess.get().recordMetric(metrics, this, value);
    }

    /** Records {@code value} in the current thread's task, if there is one. */
    public void recordInCurrentTask(long value) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            record(task, value);
        }
    }
}
