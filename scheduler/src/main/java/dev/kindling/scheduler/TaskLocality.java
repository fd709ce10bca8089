package dev.kindling.scheduler;

/**
 * How close a task attempt ran to its input, as Spark's {@code TaskLocality}; the levels are ordered
 * from closest to farthest, and delay scheduling ({@code kindling.locality.wait}) waits a while at
 * each level before it lets a task run farther away.
 */
public enum TaskLocality {
    /** On the executor that holds the task's cached partition (or in local mode, where there is only one). */
    PROCESS_LOCAL,
    /** On an executor on a host that holds the task's input (an HDFS block's data node, or a cached block). */
    NODE_LOCAL,
    /** The task had no preference (or none that a live executor could meet), so it ran at once anywhere. */
    NO_PREF,
    /** Away from the input it preferred, after the locality wait ran out. */
    ANY;

    /** Whether a task at this level may run when the scheduler allows at most {@code allowed}. */
    public boolean isAllowed(TaskLocality allowed) {
        return compareTo(allowed) <= 0;
    }
}
