package dev.kindling.shell.ui;

import java.util.List;

/** The history server's application list: one row per event log, newest first, with its state. */
final class HistoryPage {

    private HistoryPage() {
    }

    static String render(List<UiApp> apps) {
        StringBuilder b = new StringBuilder("<table class=\"sortable apps\">").append(Html.header("App ID", "App Name",
                "Started", "Completed", "Duration", "User", "Jobs", "State")).append("<tbody>");
        for (UiApp app : apps) {
            StatusStore s = app.store();
            s.read(() -> {
                long start = s.application.startTime();
                long end = app.now();
                b.append("<tr class=\"app-row\" data-app-id=\"").append(Html.escape(app.id())).append("\"><td><a href=\"")
                        .append(Html.escape("/history/" + app.id() + "/jobs/")).append("\">").append(Html.escape(app.id()))
                        .append("</a></td>").append(Html.cell(app.name()))
                        .append(Html.num(start, Html.time(start)))
                        .append(Html.num(s.endTime, Html.time(s.endTime)))
                        .append(Html.num(end - start, Html.duration(end - start)))
                        .append(Html.cell(s.application.user()))
                        .append(Html.num(s.jobs.size(), Integer.toString(s.jobs.size())))
                        .append(Html.cell(s.endTime >= 0 ? "finished" : "did not finish"
                                + (s.incomplete ? " (log cut mid-line)" : "")))
                        .append("</tr>");
                return null;
            });
        }
        b.append("</tbody></table>");
        if (apps.isEmpty()) {
            b.append("<p class=\"note\">No event logs in this directory. Run applications with "
                    + "kindling.eventLog.enabled=true and kindling.eventLog.dir set to it.</p>");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>History - Kindling</title>"
                + "<link rel=\"stylesheet\" href=\"/static/kindling-ui.css\">"
                + "<script src=\"/static/kindling-ui.js\" defer></script></head><body><nav><span class=\"brand\">"
                + "Kindling</span><span class=\"app\">History Server</span></nav><main><h1>Applications ("
                + apps.size() + ")</h1>" + b + "</main></body></html>\n";
    }
}
