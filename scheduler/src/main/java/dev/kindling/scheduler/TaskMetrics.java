package dev.kindling.scheduler;

/**
 * Counters one task attempt keeps while it runs, reported in {@link SchedulerEvent.TaskEnd}. Updated
 * only by the task's own thread; read after the task ends.
 */
public final class TaskMetrics {

    private long recordsRead;
    private long recordsWritten;
    private long shuffleRecordsWritten;
    private long shuffleBytesWritten;
    private long shuffleRecordsRead;
    private long shuffleBytesRead;
    private long runNanos;

    /** Adds to the records read from sources (collections, files, checkpoints). */
    public void addRecordsRead(long n) {
        recordsRead += n;
    }

    /** Adds to the records a result task produced or an output task wrote. */
    public void addRecordsWritten(long n) {
        recordsWritten += n;
    }

    /** Adds shuffle output of a map task. */
    public void addShuffleWrite(long records, long bytes) {
        shuffleRecordsWritten += records;
        shuffleBytesWritten += bytes;
    }

    /** Adds shuffle input of a reduce task. */
    public void addShuffleRead(long records, long bytes) {
        shuffleRecordsRead += records;
        shuffleBytesRead += bytes;
    }

    void setRunNanos(long nanos) {
        runNanos = nanos;
    }

    /** Records read from sources. */
    public long recordsRead() {
        return recordsRead;
    }

    /** Records produced by a result task or written by an output task. */
    public long recordsWritten() {
        return recordsWritten;
    }

    /** Records a map task wrote to the shuffle. */
    public long shuffleRecordsWritten() {
        return shuffleRecordsWritten;
    }

    /** Estimated bytes a map task wrote to the shuffle. */
    public long shuffleBytesWritten() {
        return shuffleBytesWritten;
    }

    /** Records a reduce task read from the shuffle. */
    public long shuffleRecordsRead() {
        return shuffleRecordsRead;
    }

    /**
     * Bytes a reduce task read from the shuffle: measured bytes of the shuffle files it read, plus,
     * for map outputs held in memory (never serialized), the estimated in-memory size of the records.
     */
    public long shuffleBytesRead() {
        return shuffleBytesRead;
    }

    /** Wall time the task ran on its executor thread, in nanoseconds. */
    public long runNanos() {
        return runNanos;
    }

    @Override
    public String toString() {
        return "TaskMetrics[recordsRead=" + recordsRead + ", recordsWritten=" + recordsWritten
                + ", shuffleWrite=" + shuffleRecordsWritten + " records/" + shuffleBytesWritten + " B"
                + ", shuffleRead=" + shuffleRecordsRead + " records/" + shuffleBytesRead + " B"
                + ", run=" + runNanos / 1_000_000 + " ms]";
    }
}
