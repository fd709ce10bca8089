package dev.kindling.scheduler;

import dev.kindling.internal.scheduler.TaskMetric;

/**
 * What one task attempt measured while it ran, as Spark's {@code TaskMetrics}: time, input and
 * output, shuffle and spills. Reported in {@link SchedulerEvent.TaskEnd}. Updated only by the
 * task's own thread, once per task or per batch (never timed per record); read after the task ends.
 *
 * <p>In local mode (executors are threads of the driver's JVM): GC time is the whole JVM's
 * collection time while the task ran, so tasks running at the same time share it; shuffle reads
 * are all local (remote bytes stay 0); the result size is estimated from the result object's heap
 * size, since local results are not serialized.
 */
public final class TaskMetrics implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] values = new long[TaskMetric.count()];

    void record(TaskMetric metric, long value) {
        int i = metric.ordinal();
        if (metric == TaskMetric.PEAK_EXECUTION_MEMORY) {
            values[i] = Math.max(values[i], value);
        } else {
            values[i] += value;
        }
    }

    private long get(TaskMetric metric) {
        return values[metric.ordinal()];
    }

    /** Adds to the records read from sources (for custom sources; Kindling's own count themselves). */
    public void addRecordsRead(long n) {
        record(TaskMetric.INPUT_RECORDS, n);
    }

    /** Adds to the records a result task produced (for custom sinks; Kindling's own count themselves). */
    public void addRecordsWritten(long n) {
        record(TaskMetric.RESULT_RECORDS, n);
    }

    /** Adds shuffle output of a map task. */
    public void addShuffleWrite(long records, long bytes) {
        record(TaskMetric.SHUFFLE_WRITE_RECORDS, records);
        record(TaskMetric.SHUFFLE_WRITE_BYTES, bytes);
    }

    /** Adds shuffle input of a reduce task, read locally. */
    public void addShuffleRead(long records, long bytes) {
        record(TaskMetric.SHUFFLE_READ_RECORDS, records);
        record(TaskMetric.SHUFFLE_LOCAL_BYTES_READ, bytes);
    }

    /** Records read from sources (collections, ranges, text, object and whole files, checkpoints). */
    public long recordsRead() {
        return get(TaskMetric.INPUT_RECORDS);
    }

    /** Bytes read from input files: the bytes of the lines of text files (decompressed for gzip), object files' sizes. */
    public long inputBytesRead() {
        return get(TaskMetric.INPUT_BYTES);
    }

    /** Records a result task consumed (collected, counted, saved...). */
    public long recordsWritten() {
        return get(TaskMetric.RESULT_RECORDS);
    }

    /** Records a save (saveAsTextFile, saveAsObjectFile) wrote. */
    public long outputRecordsWritten() {
        return get(TaskMetric.OUTPUT_RECORDS);
    }

    /** Bytes a save wrote: the sizes of its part files on disk (compressed size when compressed). */
    public long outputBytesWritten() {
        return get(TaskMetric.OUTPUT_BYTES);
    }

    /** Records a map task wrote to the shuffle (after map-side combine). */
    public long shuffleRecordsWritten() {
        return get(TaskMetric.SHUFFLE_WRITE_RECORDS);
    }

    /**
     * Bytes a map task wrote to the shuffle: the sizes of its shuffle files, or for an output kept
     * in memory (never serialized) its estimated heap size.
     */
    public long shuffleBytesWritten() {
        return get(TaskMetric.SHUFFLE_WRITE_BYTES);
    }

    /** Time a map task spent writing shuffle files and committing its output, in nanoseconds. */
    public long shuffleWriteNanos() {
        return get(TaskMetric.SHUFFLE_WRITE_NANOS);
    }

    /** Records a reduce task read from the shuffle. */
    public long shuffleRecordsRead() {
        return get(TaskMetric.SHUFFLE_READ_RECORDS);
    }

    /** Shuffle bytes read, local and remote: {@link #shuffleLocalBytesRead()} + {@link #shuffleRemoteBytesRead()}. */
    public long shuffleBytesRead() {
        return shuffleLocalBytesRead() + shuffleRemoteBytesRead();
    }

    /**
     * Bytes a reduce task read from map outputs of its own executor: measured bytes of the shuffle
     * files it read, plus, for map outputs held in memory, their estimated heap size.
     */
    public long shuffleLocalBytesRead() {
        return get(TaskMetric.SHUFFLE_LOCAL_BYTES_READ);
    }

    /** Bytes a reduce task fetched from other executors; 0 while executors are threads of one JVM. */
    public long shuffleRemoteBytesRead() {
        return get(TaskMetric.SHUFFLE_REMOTE_BYTES_READ);
    }

    /** Time a reduce task waited for map outputs to become readable (opening them), in nanoseconds. */
    public long shuffleFetchWaitNanos() {
        return get(TaskMetric.SHUFFLE_FETCH_WAIT_NANOS);
    }

    /** Estimated heap bytes of the data this task spilled to disk (sorts, aggregations, shuffle writes). */
    public long memoryBytesSpilled() {
        return get(TaskMetric.MEMORY_BYTES_SPILLED);
    }

    /** Bytes of the spill files this task wrote. */
    public long diskBytesSpilled() {
        return get(TaskMetric.DISK_BYTES_SPILLED);
    }

    /** The most execution memory one buffer of this task (combine map, sorter, shuffle writer) held, in bytes. */
    public long peakExecutionMemory() {
        return get(TaskMetric.PEAK_EXECUTION_MEMORY);
    }

    /** Wall time the task ran on its executor thread, in nanoseconds. */
    public long runNanos() {
        return get(TaskMetric.RUN_NANOS);
    }

    /** CPU time of the executor thread while the task ran, in nanoseconds (0 if the JVM cannot measure it). */
    public long cpuNanos() {
        return get(TaskMetric.CPU_NANOS);
    }

    /** Garbage collection time of the whole JVM while the task ran, in milliseconds (shared by concurrent tasks). */
    public long gcMillis() {
        return get(TaskMetric.GC_MILLIS);
    }

    /** Time the task spent deserializing its own copies of the job's functions, in nanoseconds. */
    public long deserializeNanos() {
        return get(TaskMetric.DESERIALIZE_NANOS);
    }

    /** Estimated heap bytes of a result task's result (0 for map tasks and null results). */
    public long resultSize() {
        return get(TaskMetric.RESULT_BYTES);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TaskMetrics[");
        boolean first = true;
        for (TaskMetric m : TaskMetric.values()) {
            long v = get(m);
            if (v != 0) {
                b.append(first ? "" : ", ").append(m.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(v);
                first = false;
            }
        }
        return b.append(']').toString();
    }
}
