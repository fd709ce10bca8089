package dev.kindling.shell.ui;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The jobs timeline: a lane of executors joining (green) and leaving (red, with the reason in the
 * tooltip), then one bar per job from submission to end (or now) on the application's time axis,
 * coloured by status; each bar links to its job. Drawn server-side as SVG; at most the 100 newest jobs.
 */
final class Timeline {

    private static final int WIDTH = 1000;
    private static final int ROW = 16;
    private static final int MAX_JOBS = 100;

    private Timeline() {
    }

    /**
     * The timeline of {@code jobs} (newest first) and {@code executorEvents} (executors added and
     * removed, in order) between {@code start} and {@code end}.
     */
    static String svg(List<UiJob> jobs, Collection<SchedulerEvent> executorEvents, long start, long end, String base) {
        List<UiJob> shown = jobs.subList(0, Math.min(jobs.size(), MAX_JOBS));
        double span = Math.max(1, end - start);
        int lane = executorEvents.isEmpty() ? 0 : ROW + 4;
        int height = 24 + lane + ROW * shown.size();
        StringBuilder b = new StringBuilder("<h2>Event Timeline</h2><svg class=\"timeline\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<text x=\"0\" y=\"12\" class=\"axis\">").append(Html.escape(Html.time(start))).append("</text>");
        b.append("<text x=\"").append(WIDTH).append("\" y=\"12\" text-anchor=\"end\" class=\"axis\">")
                .append(Html.escape(Html.time(end))).append("</text>");
        if (lane > 0) {
            b.append("<text x=\"0\" y=\"").append(20 + ROW - 6).append("\" class=\"axis\">Executors</text>");
        }
        for (SchedulerEvent e : executorEvents) {
            boolean added = e instanceof SchedulerEvent.ExecutorAdded;
            String title = e instanceof SchedulerEvent.ExecutorAdded a
                    ? "Executor " + a.executorId() + " added at " + Html.time(a.time()) + " (" + a.hostPort() + ", "
                    + a.cores() + " cores)"
                    : "Executor " + ((SchedulerEvent.ExecutorRemoved) e).executorId() + " removed at "
                    + Html.time(e.time()) + ": " + ((SchedulerEvent.ExecutorRemoved) e).reason();
            double x = Math.max(70, Math.min(WIDTH - 3, (e.time() - start) / span * (WIDTH - 2)));
            b.append("<rect class=\"").append(added ? "executor-added" : "executor-removed").append("\" x=\"")
                    .append(String.format(Locale.ROOT, "%.1f", x)).append("\" y=\"20\" width=\"3\" height=\"")
                    .append(ROW - 2).append("\" fill=\"").append(added ? "#2e7d32" : "#c62828").append("\"><title>")
                    .append(Html.escape(title)).append("</title></rect>");
        }
        for (int i = 0; i < shown.size(); i++) {
            UiJob j = shown.get(i);
            double x0 = (j.submissionTime - start) / span * (WIDTH - 2);
            double x1 = ((j.completionTime < 0 ? end : j.completionTime) - start) / span * (WIDTH - 2);
            int y = 20 + lane + i * ROW;
            b.append("<a href=\"").append(Html.escape(base + "/jobs/job/?id=" + j.jobId)).append("\">")
                    .append("<rect class=\"job-bar ").append(j.status.toLowerCase(Locale.ROOT)).append("\" x=\"")
                    .append(String.format(Locale.ROOT, "%.1f", x0)).append("\" y=\"").append(y).append("\" width=\"")
                    .append(String.format(Locale.ROOT, "%.1f", Math.max(2, x1 - x0))).append("\" height=\"")
                    .append(ROW - 4).append("\"><title>").append(Html.escape("Job " + j.jobId + ": "
                            + (j.description == null ? "" : j.description) + " (" + j.status + ")"))
                    .append("</title></rect><text class=\"axis\" x=\"").append(String.format(Locale.ROOT, "%.1f",
                            Math.min(x0 + Math.max(2, x1 - x0) + 4, WIDTH - 60))).append("\" y=\"").append(y + 10)
                    .append("\">Job ").append(j.jobId).append("</text></a>");
        }
        return b.append("</svg>").toString();
    }
}
