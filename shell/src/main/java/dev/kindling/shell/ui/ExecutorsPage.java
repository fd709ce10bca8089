package dev.kindling.shell.ui;

import dev.kindling.internal.rdd.StorageStatus;
import java.util.List;

/**
 * The Executors page: one row per executor (in local mode the {@code driver}, whose threads run the
 * tasks) with cores, task counts, task and GC time, input and shuffle totals, and the memory in use.
 */
final class ExecutorsPage {

    private ExecutorsPage() {
    }

    static String render(UiApp app, String base) {
        StorageStatus.Memory memory = app.context() == null || app.context().isClosed() ? null
                : StorageStatus.memory(app.context());
        StringBuilder b = new StringBuilder();
        app.store().read(() -> {
            List<UiExecutor> executors = List.copyOf(app.store().executors.values());
            b.append("<h2>Executors (").append(executors.size()).append(")</h2><table class=\"sortable executors\">")
                    .append(Html.header("Executor ID", "Status", "Cores", "Storage Memory", "Execution Memory",
                            "Active Tasks", "Failed Tasks", "Killed Tasks", "Complete Tasks", "Total Tasks",
                            "Task Time (GC Time)", "Input", "Shuffle Read", "Shuffle Write", "Spill (Disk)"))
                    .append("<tbody>");
            for (UiExecutor e : executors) {
                b.append("<tr class=\"executor-row\">").append(Html.cell(e.id))
                        .append(Html.cell(app.running() ? "Active" : "Dead"))
                        .append(Html.num(e.cores, Integer.toString(e.cores)))
                        .append(memory == null ? Html.cell("-") : Html.num(memory.storageUsed(),
                                Html.bytes(memory.storageUsed()) + " / " + Html.bytes(memory.maxBytes())))
                        .append(memory == null ? Html.cell("-") : Html.num(memory.executionUsed(),
                                Html.bytes(memory.executionUsed()) + " (peak " + Html.bytes(memory.peakExecutionUsed()) + ")"))
                        .append(Html.num(e.activeTasks, Integer.toString(e.activeTasks)))
                        .append(Html.num(e.failedTasks, Integer.toString(e.failedTasks)))
                        .append(Html.num(e.killedTasks, Integer.toString(e.killedTasks)))
                        .append(Html.num(e.completedTasks, Integer.toString(e.completedTasks)))
                        .append(Html.num(total(e), Integer.toString(total(e))))
                        .append(Html.num(e.totalDuration, Html.duration(e.totalDuration) + " ("
                                + Html.duration(e.totals.gcMillis) + ")"))
                        .append(Html.num(e.totals.inputBytes, Html.bytes(e.totals.inputBytes)))
                        .append(Html.num(e.totals.shuffleReadBytes, Html.bytes(e.totals.shuffleReadBytes)))
                        .append(Html.num(e.totals.shuffleWriteBytes, Html.bytes(e.totals.shuffleWriteBytes)))
                        .append(Html.num(e.totals.diskBytesSpilled, Html.bytes(e.totals.diskBytesSpilled)))
                        .append("</tr>");
            }
            b.append("</tbody></table>");
            return null;
        });
        return Html.page(base, app.name(), "Executors", "Executors", app.running(), app.banner(), b.toString());
    }

    static int total(UiExecutor e) {
        return e.activeTasks + e.failedTasks + e.killedTasks + e.completedTasks;
    }
}
