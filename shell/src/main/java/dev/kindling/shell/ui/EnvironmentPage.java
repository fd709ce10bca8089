package dev.kindling.shell.ui;

import dev.kindling.internal.eventlog.ApplicationInfo;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Environment page: the application (id, name, user, versions) and its effective configuration,
 * values of keys naming a secret, password or token redacted (see {@link ApplicationInfo#redact}).
 */
final class EnvironmentPage {

    private EnvironmentPage() {
    }

    static String render(UiApp app, String base) {
        ApplicationInfo a = app.store().application;
        StringBuilder b = new StringBuilder("<h2>Runtime Information</h2><table class=\"env\">")
                .append(Html.header("Name", "Value")).append("<tbody>");
        row(b, "Application id", a.appId());
        row(b, "Application name", a.appName());
        row(b, "User", a.user());
        row(b, "Kindling version", a.kindlingVersion());
        row(b, "Started", Html.time(a.startTime()));
        if (app.context() != null) {
            row(b, "Java version", Runtime.version().toString());
            row(b, "Java home", System.getProperty("java.home"));
            row(b, "Executor threads", Integer.toString(app.context().executorThreads()));
        }
        b.append("</tbody></table><h2>Kindling Properties</h2><table class=\"sortable env conf\">")
                .append(Html.header("Name", "Value")).append("<tbody>");
        Map<String, String> conf = new TreeMap<>(ApplicationInfo.redact(a.configuration()));
        conf.forEach((k, v) -> row(b, k, v));
        b.append("</tbody></table>");
        return Html.page(base, app.name(), "Environment", "Environment", app.running(), app.banner(), b.toString());
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr>").append(Html.cell(name)).append(Html.cell(value)).append("</tr>");
    }
}
