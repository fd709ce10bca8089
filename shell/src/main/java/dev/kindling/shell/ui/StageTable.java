package dev.kindling.shell.ui;

import java.util.List;

/** The table of stage attempts shown on the Stages page and on a job's page. Call under the store's lock. */
final class StageTable {

    private StageTable() {
    }

    static void append(StringBuilder b, String title, List<UiStage> stages, String base, long now, boolean kill) {
        b.append("<h2>").append(Html.escape(title)).append(" (").append(stages.size()).append(")</h2>");
        if (stages.isEmpty()) {
            return;
        }
        b.append("<table class=\"sortable stages\">")
                .append(Html.header("Stage Id", "Description", "Submitted", "Duration", "Tasks: Succeeded/Total",
                        "Input", "Output", "Shuffle Read", "Shuffle Write", "Failure Reason"))
                .append("<tbody>");
        for (UiStage s : stages) {
            b.append("<tr class=\"stage-row\" data-stage-id=\"").append(s.stageId).append("\">");
            b.append("<td class=\"n\" data-v=\"").append(s.stageId).append("\"><a href=\"")
                    .append(Html.escape(base + "/stages/stage/?id=" + s.stageId + "&attempt=" + s.attempt))
                    .append("\">").append(s.stageId).append(s.attempt > 0 ? " (retry " + s.attempt + ")" : "")
                    .append("</a>");
            if (kill && !s.finished()) {
                b.append(KillForm.html(base + "/stages/stage/kill/", s.stageId));
            }
            b.append("</td>");
            b.append(Html.cell(s.name));
            b.append(Html.num(s.submissionTime, Html.time(s.submissionTime)));
            long d = (s.completionTime < 0 ? now : s.completionTime) - s.submissionTime;
            b.append(Html.num(d, Html.duration(d)));
            b.append("<td>").append(Html.progress(s.completedTasks, s.activeTasks, s.failedTasks, s.numTasks)).append("</td>");
            MetricTotals t = s.totals;
            b.append(Html.num(t.inputBytes, Html.bytes(t.inputBytes)));
            b.append(Html.num(t.outputBytes, Html.bytes(t.outputBytes)));
            b.append(Html.num(t.shuffleReadBytes, Html.bytes(t.shuffleReadBytes)));
            b.append(Html.num(t.shuffleWriteBytes, Html.bytes(t.shuffleWriteBytes)));
            b.append(Html.cell(s.failureReason));
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    /** The stages page: every kept stage attempt, running, completed and failed, newest first. */
    static String page(UiApp app, String base, boolean kill) {
        long now = app.now();
        StringBuilder b = new StringBuilder();
        app.store().read(() -> {
            List<UiStage> all = new java.util.ArrayList<>(app.store().stages.values());
            java.util.Collections.reverse(all);
            append(b, "Active Stages", all.stream().filter(s -> s.status.equals("ACTIVE")).toList(), base, now, kill);
            append(b, "Completed Stages", all.stream().filter(s -> s.status.equals("COMPLETE")).toList(), base, now, kill);
            append(b, "Failed Stages", all.stream().filter(s -> s.status.equals("FAILED")).toList(), base, now, kill);
            return null;
        });
        return Html.page(base, app.name(), "Stages for All Jobs", "Stages", app.running(), app.banner(), b.toString());
    }
}
