package dev.kindling.shell.ui;

import dev.kindling.scheduler.TaskMetrics;

/** Sums of the task metrics of a stage or executor, for its summary rows; peak memory keeps the largest. */
final class MetricTotals {

    long runNanos;
    long cpuNanos;
    long gcMillis;
    long inputBytes;
    long inputRecords;
    long outputBytes;
    long outputRecords;
    long shuffleReadBytes;
    long shuffleReadRecords;
    long shuffleWriteBytes;
    long shuffleWriteRecords;
    long memoryBytesSpilled;
    long diskBytesSpilled;
    long peakExecutionMemory;

    /** Adds one task's metrics (null: nothing measured). */
    void add(TaskMetrics m) {
        if (m == null) {
            return;
        }
        runNanos += m.runNanos();
        cpuNanos += m.cpuNanos();
        gcMillis += m.gcMillis();
        inputBytes += m.inputBytesRead();
        inputRecords += m.recordsRead();
        outputBytes += m.outputBytesWritten();
        outputRecords += m.outputRecordsWritten();
        shuffleReadBytes += m.shuffleBytesRead();
        shuffleReadRecords += m.shuffleRecordsRead();
        shuffleWriteBytes += m.shuffleBytesWritten();
        shuffleWriteRecords += m.shuffleRecordsWritten();
        memoryBytesSpilled += m.memoryBytesSpilled();
        diskBytesSpilled += m.diskBytesSpilled();
        peakExecutionMemory = Math.max(peakExecutionMemory, m.peakExecutionMemory());
    }

    /** Adds another sum (the totals of several executors); peak memory keeps the larger. */
    void addAll(MetricTotals o) {
        runNanos += o.runNanos;
        cpuNanos += o.cpuNanos;
        gcMillis += o.gcMillis;
        inputBytes += o.inputBytes;
        inputRecords += o.inputRecords;
        outputBytes += o.outputBytes;
        outputRecords += o.outputRecords;
        shuffleReadBytes += o.shuffleReadBytes;
        shuffleReadRecords += o.shuffleReadRecords;
        shuffleWriteBytes += o.shuffleWriteBytes;
        shuffleWriteRecords += o.shuffleWriteRecords;
        memoryBytesSpilled += o.memoryBytesSpilled;
        diskBytesSpilled += o.diskBytesSpilled;
        peakExecutionMemory = Math.max(peakExecutionMemory, o.peakExecutionMemory);
    }
}
