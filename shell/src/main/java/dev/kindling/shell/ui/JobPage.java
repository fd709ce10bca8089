package dev.kindling.shell.ui;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The page of one job: its summary, its DAG (see {@link DagSvg}) and the attempts of its stages. */
final class JobPage {

    private JobPage() {
    }

    /** The page, or null when the store does not (or no longer) know the job. */
    static String render(UiApp app, String base, int jobId, boolean kill) {
        long now = app.now();
        StringBuilder b = new StringBuilder();
        boolean known = app.store().read(() -> {
            UiJob j = app.store().jobs.get(jobId);
            if (j == null) {
                return false;
            }
            b.append("<ul class=\"facts\"><li><b>Status:</b> <span class=\"status\">").append(j.status).append("</span></li>");
            if (j.description != null) {
                b.append("<li><b>Description:</b> ").append(Html.escape(j.description)).append("</li>");
            }
            if (j.jobGroup != null) {
                b.append("<li><b>Job group:</b> ").append(Html.escape(j.jobGroup)).append("</li>");
            }
            b.append("<li><b>Submitted:</b> ").append(Html.time(j.submissionTime)).append("</li>");
            b.append("<li><b>Duration:</b> ").append(Html.duration((j.completionTime < 0 ? now : j.completionTime)
                    - j.submissionTime)).append("</li>");
            if (j.failure != null) {
                b.append("<li><b>Failure:</b> <pre class=\"error\">").append(Html.escape(j.failure)).append("</pre></li>");
            }
            b.append("</ul>");
            List<UiStage> attempts = new ArrayList<>();
            Map<Integer, String> statusOfStage = new HashMap<>();
            for (UiStage s : app.store().stages.values()) {
                if (s.jobIds.contains(jobId)) {
                    attempts.add(s);
                    statusOfStage.put(s.stageId, s.status);
                }
            }
            b.append("<h2>DAG Visualization</h2>");
            if (j.stageInfos.isEmpty()) {
                b.append("<p class=\"note\">No stage graph was recorded for this job.</p>");
            } else {
                b.append("<div class=\"dag-wrap\">").append(DagSvg.svg(j.stageInfos, statusOfStage, base)).append("</div>");
                b.append("<p class=\"legend\">Boxes are stages, with the RDDs they compute (input at the top); "
                        + "arrows are shuffles; green RDDs are cached; dashed stages were skipped.</p>");
            }
            java.util.Collections.reverse(attempts);
            StageTable.append(b, "Stages", attempts, base, now, kill);
            List<Integer> pending = new ArrayList<>();
            for (SchedulerEvent.StageInfo s : j.stageInfos) {
                if (!statusOfStage.containsKey(s.stageId())) {
                    pending.add(s.stageId());
                }
            }
            if (!pending.isEmpty()) {
                b.append("<p class=\"note\">").append(j.finished() ? "Skipped" : "Pending").append(" stages: ")
                        .append(Html.escape(pending)).append("</p>");
            }
            return true;
        });
        if (!known) {
            return null;
        }
        return Html.page(base, app.name(), "Details for Job " + jobId, "Jobs", app.running(), app.banner(), b.toString());
    }
}
