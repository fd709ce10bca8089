package dev.kindling.shell.ui;

/**
 * One executor as the status UI keeps it (in local mode the single {@code driver} executor, whose
 * tasks run on the driver's threads): task counts and metric totals. Written by {@link StatusStore}
 * under its lock; keyed by executor id, so executor processes get rows of their own.
 */
final class UiExecutor {

    final String id;
    int cores;
    int activeTasks;
    int completedTasks;
    int failedTasks;
    int killedTasks;
    /** Summed task wall time, milliseconds. */
    long totalDuration;
    final MetricTotals totals = new MetricTotals();

    UiExecutor(String id) {
        this.id = id;
    }
}
