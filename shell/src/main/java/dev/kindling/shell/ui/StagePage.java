package dev.kindling.shell.ui;

import dev.kindling.scheduler.TaskMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The page of one stage attempt: its summary, the summary metrics of its finished tasks as
 * quantiles (min, 25th percentile, median, 75th percentile, max, as Spark's stage page) and the task
 * table, sortable by duration (server-side with {@code sort=duration&desc=true}, and in the page by
 * clicking a column header).
 */
final class StagePage {

    /** Rows of the task table shown at most (the page says how many there are). */
    static final int MAX_ROWS = 1000;

    private StagePage() {
    }

    /** A metric of the quantile table: its name, how to read it from a task, how to show it. */
    private record Metric(String name, ToLongFunction<UiTask> value, boolean bytes) {
    }

    private static final List<Metric> QUANTILE_METRICS = List.of(
            new Metric("Duration", t -> t.duration(t.finishTime), false),
            new Metric("GC Time", t -> m(t).gcMillis(), false),
            new Metric("Input Size", t -> m(t).inputBytesRead(), true),
            new Metric("Output Size", t -> m(t).outputBytesWritten(), true),
            new Metric("Shuffle Read Size", t -> m(t).shuffleBytesRead(), true),
            new Metric("Shuffle Write Size", t -> m(t).shuffleBytesWritten(), true),
            new Metric("Spill (Memory)", t -> m(t).memoryBytesSpilled(), true),
            new Metric("Spill (Disk)", t -> m(t).diskBytesSpilled(), true),
            new Metric("Peak Execution Memory", t -> m(t).peakExecutionMemory(), true));

    private static final TaskMetrics NONE = new TaskMetrics();

    private static TaskMetrics m(UiTask t) {
        return t.metrics == null ? NONE : t.metrics;
    }

    /** The value at quantile {@code q} of sorted {@code values}, as Spark's (nearest rank, rounded down). */
    static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    /** The page, or null when the stage attempt is not known. */
    static String render(UiApp app, String base, int stageId, int attempt, String sort, boolean desc) {
        long now = app.now();
        StringBuilder b = new StringBuilder();
        List<UiTask> tasks = new ArrayList<>();
        UiStage[] stage = new UiStage[1];
        // Only copying happens under the store's lock (the scheduler's event thread waits for it);
        // sorting, quantiles and HTML are built after.
        boolean known = app.store().read(() -> {
            UiStage s = app.store().stages.get(UiStage.key(stageId, attempt));
            if (s == null) {
                return false;
            }
            summary(b, s, base, now);
            stage[0] = s;
            s.tasks.values().forEach(t -> tasks.add(t.copy()));
            return true;
        });
        if (known) {
            List<UiTask> finished = tasks.stream().filter(t -> t.status.equals("SUCCESS")).toList();
            quantiles(b, finished);
            taskTable(b, tasks, stage[0].stageId, stage[0].attempt, stage[0].droppedTasks, base, now, sort, desc);
        }
        if (!known) {
            return null;
        }
        return Html.page(base, app.name(), "Details for Stage " + stageId + " (Attempt " + attempt + ")", "Stages",
                app.running(), app.banner(), b.toString());
    }

    private static void summary(StringBuilder b, UiStage s, String base, long now) {
        MetricTotals t = s.totals;
        b.append("<ul class=\"facts\"><li><b>Status:</b> <span class=\"status\">").append(s.status).append("</span></li>")
                .append("<li><b>Description:</b> ").append(Html.escape(s.name)).append("</li>")
                .append("<li><b>Jobs:</b> ");
        for (int jobId : s.jobIds) {
            b.append("<a href=\"").append(Html.escape(base + "/jobs/job/?id=" + jobId)).append("\">").append(jobId)
                    .append("</a> ");
        }
        b.append("</li><li><b>Tasks:</b> ").append(s.completedTasks).append(" succeeded, ").append(s.activeTasks)
                .append(" running, ").append(s.failedTasks).append(" failed, ").append(s.killedTasks)
                .append(" killed, of ").append(s.numTasks).append("</li>")
                .append("<li><b>Duration:</b> ").append(Html.duration((s.completionTime < 0 ? now : s.completionTime)
                        - s.submissionTime)).append("</li>")
                .append("<li><b>Total task time:</b> ").append(Html.duration(t.runNanos / 1_000_000)).append(" (CPU ")
                .append(Html.duration(t.cpuNanos / 1_000_000)).append(", GC ").append(Html.duration(t.gcMillis))
                .append(")</li>")
                .append("<li><b>Input:</b> ").append(Html.bytes(t.inputBytes)).append(" / ").append(t.inputRecords)
                .append(" records</li><li><b>Output:</b> ").append(Html.bytes(t.outputBytes)).append(" / ")
                .append(t.outputRecords).append(" records</li><li><b>Shuffle read:</b> ")
                .append(Html.bytes(t.shuffleReadBytes)).append(" / ").append(t.shuffleReadRecords)
                .append(" records</li><li><b>Shuffle write:</b> ").append(Html.bytes(t.shuffleWriteBytes)).append(" / ")
                .append(t.shuffleWriteRecords).append(" records</li><li><b>Spill (memory / disk):</b> ")
                .append(Html.bytes(t.memoryBytesSpilled)).append(" / ").append(Html.bytes(t.diskBytesSpilled))
                .append("</li>");
        if (s.failureReason != null) {
            b.append("<li><b>Failure reason:</b> <pre class=\"error\">").append(Html.escape(s.failureReason))
                    .append("</pre></li>");
        }
        b.append("</ul>");
    }

    private static void quantiles(StringBuilder b, List<UiTask> finished) {
        b.append("<h2>Summary Metrics for ").append(finished.size()).append(" Completed Tasks</h2>");
        if (finished.isEmpty()) {
            return;
        }
        b.append("<table class=\"quantiles\">").append(Html.header("Metric", "Min", "25th percentile", "Median",
                "75th percentile", "Max")).append("<tbody>");
        for (Metric metric : QUANTILE_METRICS) {
            long[] values = finished.stream().mapToLong(metric.value).sorted().toArray();
            b.append("<tr>").append(Html.cell(metric.name));
            for (double q : new double[] {0, 0.25, 0.5, 0.75, 1}) {
                long v = quantile(values, q);
                b.append(Html.num(v, metric.bytes ? Html.bytes(v) : Html.duration(v)));
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    private static void taskTable(StringBuilder b, List<UiTask> tasks, int stageId, int attempt, long droppedTasks,
                                  String base, long now, String sort, boolean desc) {
        Comparator<UiTask> order = "duration".equals(sort) ? Comparator.comparingLong((UiTask t) -> t.duration(now))
                : "gc".equals(sort) ? Comparator.comparingLong((UiTask t) -> m(t).gcMillis())
                : Comparator.comparingInt((UiTask t) -> t.partition).thenComparingInt(t -> t.attempt);
        tasks.sort(desc ? order.reversed() : order);
        b.append("<h2>Tasks (").append(tasks.size()).append(droppedTasks > 0 ? ", " + droppedTasks
                + " older ones not kept" : "").append(")</h2>");
        String stageUrl = base + "/stages/stage/?id=" + stageId + "&attempt=" + attempt;
        b.append("<p class=\"note\">Sort by <a href=\"").append(Html.escape(stageUrl + "&sort=duration&desc=true"))
                .append("\">duration, longest first</a>, <a href=\"").append(Html.escape(stageUrl + "&sort=duration"))
                .append("\">shortest first</a>, <a href=\"").append(Html.escape(stageUrl)).append("\">index</a>")
                .append(tasks.size() > MAX_ROWS ? "; showing the first " + MAX_ROWS : "").append(".</p>");
        b.append("<table class=\"sortable tasks\">").append(Html.header("Index", "Task ID", "Attempt", "Status",
                "Executor ID", "Thread", "Launch Time", "Duration", "GC Time", "Input Size / Records",
                "Output Size / Records", "Shuffle Read Size / Records", "Shuffle Write Size / Records",
                "Spill (Memory)", "Spill (Disk)", "Peak Execution Memory", "Errors")).append("<tbody>");
        for (UiTask t : tasks.subList(0, Math.min(tasks.size(), MAX_ROWS))) {
            TaskMetrics m = m(t);
            b.append("<tr class=\"task-row\" data-task-id=\"").append(t.taskId).append("\">")
                    .append(Html.num(t.partition, Integer.toString(t.partition)))
                    .append(Html.num(t.taskId, Long.toString(t.taskId)))
                    .append(Html.num(t.attempt, Integer.toString(t.attempt)))
                    .append(Html.cell(t.status)).append(Html.cell(t.executorId)).append(Html.cell(t.executorThread))
                    .append(Html.num(t.launchTime, Html.time(t.launchTime)))
                    .append(Html.num(t.duration(now), Html.duration(t.duration(now))))
                    .append(Html.num(m.gcMillis(), Html.duration(m.gcMillis())))
                    .append(Html.num(m.inputBytesRead(), Html.bytes(m.inputBytesRead()) + " / " + m.recordsRead()))
                    .append(Html.num(m.outputBytesWritten(), Html.bytes(m.outputBytesWritten()) + " / "
                            + m.outputRecordsWritten()))
                    .append(Html.num(m.shuffleBytesRead(), Html.bytes(m.shuffleBytesRead()) + " / " + m.shuffleRecordsRead()))
                    .append(Html.num(m.shuffleBytesWritten(), Html.bytes(m.shuffleBytesWritten()) + " / "
                            + m.shuffleRecordsWritten()))
                    .append(Html.num(m.memoryBytesSpilled(), Html.bytes(m.memoryBytesSpilled())))
                    .append(Html.num(m.diskBytesSpilled(), Html.bytes(m.diskBytesSpilled())))
                    .append(Html.num(m.peakExecutionMemory(), Html.bytes(m.peakExecutionMemory())))
                    .append("<td>").append(t.errorMessage == null ? "" : "<pre class=\"error\">"
                            + Html.escape(t.errorMessage) + "</pre>").append("</td></tr>");
        }
        b.append("</tbody></table>");
    }
}
