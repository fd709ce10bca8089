package dev.kindling.shell.ui;

import dev.kindling.internal.rdd.StorageStatus;
import java.util.List;

/**
 * The Executors page: one row per executor (the {@code driver}, whose threads run the tasks in local
 * mode, and on {@code local-cluster} each executor process) with its address, status (Active, or Dead
 * with the reason it left), cores, task counts, task and GC time, input and shuffle totals, and for
 * the driver the memory in use (executor processes do not report theirs).
 */
final class ExecutorsPage {

    private ExecutorsPage() {
    }

    /** The driver's memory while the application runs, else null. */
    static StorageStatus.Memory driverMemory(UiApp app) {
        return app.context() == null || app.context().isClosed() ? null : StorageStatus.memory(app.context());
    }

    /** The status cell: Active or Dead, the reason it left under it, and when it joined and left as its tooltip. */
    private static String status(UiExecutor e, boolean isActive) {
        String when = (e.addTime < 0 ? "" : "added " + Html.time(e.addTime))
                + (e.removeTime < 0 ? "" : (e.addTime < 0 ? "" : ", ") + "removed " + Html.time(e.removeTime));
        StringBuilder b = new StringBuilder("<td class=\"executor-status\"");
        if (!when.isEmpty()) {
            b.append(" title=\"").append(Html.escape(when)).append('"');
        }
        b.append('>').append(isActive ? "Active" : "Dead");
        if (e.removeReason != null) {
            b.append("<div class=\"remove-reason\">").append(Html.escape(e.removeReason)).append("</div>");
        }
        return b.append("</td>").toString();
    }

    static String render(UiApp app, String base) {
        StorageStatus.Memory memory = driverMemory(app);
        StringBuilder b = new StringBuilder();
        app.store().read(() -> {
            StatusStore s = app.store();
            List<UiExecutor> executors = List.copyOf(s.executors.values());
            long active = executors.stream().filter(s::isActive).count();
            b.append("<h2>Executors (").append(executors.size()).append(", ").append(active)
                    .append(" active)</h2><table class=\"sortable executors\">")
                    .append(Html.header("Executor ID", "Address", "Status", "Cores", "Storage Memory",
                            "Execution Memory", "Active Tasks", "Failed Tasks", "Killed Tasks", "Complete Tasks",
                            "Total Tasks", "Task Time (GC Time)", "Input", "Shuffle Read", "Shuffle Write",
                            "Spill (Disk)"))
                    .append("<tbody>");
            for (UiExecutor e : executors) {
                StorageStatus.Memory m = e.id.equals(StatusStore.DRIVER) ? memory : null;
                boolean isActive = s.isActive(e);
                b.append("<tr class=\"executor-row\" data-executor-id=\"").append(Html.escape(e.id))
                        .append("\" data-status=\"").append(isActive ? "Active" : "Dead").append("\">")
                        .append(Html.cell(e.id)).append(Html.cell(e.hostPort))
                        .append(status(e, isActive))
                        .append(Html.num(e.cores, Integer.toString(e.cores)))
                        .append(m == null ? Html.cell("-") : Html.num(m.storageUsed(),
                                Html.bytes(m.storageUsed()) + " / " + Html.bytes(m.maxBytes())))
                        .append(m == null ? Html.cell("-") : Html.num(m.executionUsed(),
                                Html.bytes(m.executionUsed()) + " (peak " + Html.bytes(m.peakExecutionUsed()) + ")"))
                        .append(Html.num(e.activeTasks, Integer.toString(e.activeTasks)))
                        .append(Html.num(e.failedTasks, Integer.toString(e.failedTasks)))
                        .append(Html.num(e.killedTasks, Integer.toString(e.killedTasks)))
                        .append(Html.num(e.completedTasks, Integer.toString(e.completedTasks)))
                        .append(Html.num(e.totalTasks(), Integer.toString(e.totalTasks())))
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
}
