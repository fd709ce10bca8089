package dev.kindling.shell.ui;

/**
 * One executor as the status UI keeps it: the driver's own (in local mode its threads run the tasks)
 * or an executor process of {@code local-cluster}, with where it serves, when it joined and left (and
 * why), task counts and metric totals. Written by {@link StatusStore} under its lock; keyed by
 * executor id.
 */
final class UiExecutor {

    final String id;
    /** {@code host:port}, or the host alone when it has no port. */
    String hostPort = "localhost";
    int cores;
    /** When it joined (its {@code ExecutorAdded}), or -1 when no event said (logs written before them). */
    long addTime = -1;
    /** When it left, or -1 while it is not known to have left. */
    long removeTime = -1;
    /** Why it left (its {@code ExecutorRemoved}), or null. */
    String removeReason;
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

    /** The host part of {@link #hostPort}. */
    String host() {
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    /** Every task that started or ended here. */
    int totalTasks() {
        return activeTasks + failedTasks + killedTasks + completedTasks;
    }
}
