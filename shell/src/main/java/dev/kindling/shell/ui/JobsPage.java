package dev.kindling.shell.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * The Jobs page: a timeline of the jobs, then tables of running, succeeded and failed jobs with
 * description, submission time, duration, stage and task progress (newest first).
 */
final class JobsPage {

    private JobsPage() {
    }

    static String render(UiApp app, String base, boolean killEnabled) {
        long now = app.now();
        StringBuilder body = new StringBuilder();
        app.store().read(() -> {
            StatusStore s = app.store();
            List<UiJob> jobs = new ArrayList<>(s.jobs.values());
            java.util.Collections.reverse(jobs);
            body.append("<p class=\"summary\">Started ").append(Html.time(s.application.startTime()))
                    .append(", by ").append(Html.escape(s.application.user())).append(". Total uptime ")
                    .append(Html.duration(now - s.application.startTime())).append(". Kindling ")
                    .append(Html.escape(s.application.kindlingVersion())).append(".</p>");
            body.append(Timeline.svg(jobs, List.copyOf(s.executorEvents), s.application.startTime(), now, base));
            for (String status : new String[] {"RUNNING", "SUCCEEDED", "FAILED"}) {
                List<UiJob> these = jobs.stream().filter(j -> j.status.equals(status)).toList();
                String title = switch (status) {
                    case "RUNNING" -> "Active Jobs";
                    case "SUCCEEDED" -> "Completed Jobs";
                    default -> "Failed Jobs";
                };
                body.append("<h2 id=\"").append(status.toLowerCase(java.util.Locale.ROOT)).append("\">").append(title)
                        .append(" (").append(these.size()).append(")</h2>");
                if (these.isEmpty()) {
                    continue;
                }
                body.append("<table class=\"sortable jobs\">")
                        .append(Html.header("Job Id", "Description", "Submitted", "Duration", "Stages: Succeeded/Total",
                                "Tasks (for all stages): Succeeded/Total"))
                        .append("<tbody>");
                for (UiJob j : these) {
                    body.append("<tr class=\"job-row\" data-job-id=\"").append(j.jobId).append("\">");
                    body.append("<td class=\"n\" data-v=\"").append(j.jobId).append("\"><a href=\"")
                            .append(Html.escape(base + "/jobs/job/?id=" + j.jobId)).append("\">").append(j.jobId)
                            .append(j.jobGroup == null ? "" : " (" + Html.escape(j.jobGroup) + ")").append("</a>");
                    if (killEnabled && status.equals("RUNNING")) {
                        body.append(KillForm.html(base + "/jobs/job/kill/", j.jobId));
                    }
                    body.append("</td>");
                    body.append(Html.cell(j.description == null ? "job " + j.jobId : j.description));
                    body.append(Html.num(j.submissionTime, Html.time(j.submissionTime)));
                    long d = (j.completionTime < 0 ? now : j.completionTime) - j.submissionTime;
                    body.append(Html.num(d, Html.duration(d)));
                    body.append("<td>").append(j.completedStages).append('/').append(j.stageIds.size())
                            .append(j.failedStages > 0 ? " (" + j.failedStages + " failed)" : "").append("</td>");
                    body.append("<td>").append(Html.progress(j.completedTasks, j.activeTasks, j.failedTasks,
                            Math.max(j.numTasks, j.completedTasks + j.activeTasks))).append("</td>");
                    body.append("</tr>");
                }
                body.append("</tbody></table>");
                if (status.equals("SUCCEEDED") && s.droppedJobs > 0) {
                    body.append("<p class=\"note\">").append(s.droppedJobs).append(" older finished jobs are not kept "
                            + "(kindling.ui.retainedJobs = ").append(s.limits.retainedJobs()).append(").</p>");
                }
            }
            return null;
        });
        return Html.page(base, app.name(), "Kindling Jobs", "Jobs", app.running(), app.banner(), body.toString());
    }
}
