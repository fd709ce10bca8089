package dev.kindling.shell.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one way the status UI writes HTML: every string that comes from a user or a program (RDD names,
 * job descriptions, call sites, exception messages, configuration values) goes through
 * {@link #escape}; the page frame links only the bundled stylesheet and script. Plus the number,
 * size, time and duration formats of the pages.
 */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Html() {
    }

    /** {@code text} with the five characters that mean something in HTML (and in attribute values) escaped; null as "". */
    static String escape(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * A whole page: title, the navigation tabs of the application under {@code base} (the active one
     * marked), the body, and while {@code live} the mark that makes the bundled script fetch the page
     * again every 2 seconds and swap in its new content (no reload: the scroll position stays, and
     * tools that load a page once, such as headless browsers, see it end loading).
     */
    static String page(String base, String appName, String title, String activeTab, boolean live, String banner,
                       String body) {
        StringBuilder b = new StringBuilder(body.length() + 2048);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        b.append("<title>").append(escape(title)).append(" - ").append(escape(appName)).append(" - Kindling</title>");
        b.append("<link rel=\"stylesheet\" href=\"/static/kindling-ui.css\">");
        b.append("<script src=\"/static/kindling-ui.js\" defer></script></head><body")
                .append(live ? " data-refresh=\"2\">" : ">");
        b.append("<nav><span class=\"brand\">Kindling</span>");
        for (String[] tab : new String[][] {{"Jobs", "/jobs/"}, {"Stages", "/stages/"}, {"Storage", "/storage/"},
                {"Environment", "/environment/"}, {"Executors", "/executors/"}}) {
            b.append("<a href=\"").append(escape(base + tab[1])).append('"')
                    .append(tab[0].equals(activeTab) ? " class=\"active\"" : "").append('>').append(tab[0]).append("</a>");
        }
        b.append("<span class=\"app\">").append(escape(appName)).append(live ? " (live)" : "").append("</span></nav>");
        if (banner != null) {
            b.append("<p class=\"banner\">").append(escape(banner)).append("</p>");
        }
        b.append("<main><h1>").append(escape(title)).append("</h1>").append(body).append("</main></body></html>\n");
        return b.toString();
    }

    /** Epoch milliseconds as a local date and time; "-" for a negative (unknown) time. */
    static String time(long epochMillis) {
        return epochMillis < 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A duration in milliseconds as Spark's pages show it: 12 ms, 3.4 s, 2.1 min, 1.5 h. */
    static String duration(long millis) {
        if (millis < 0) {
            return "-";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        double s = millis / 1000.0;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%.1f min", s / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    /** Bytes in binary units: 0.0 B, 12.3 KiB, 4.5 MiB. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A progress bar: completed and running parts of {@code total}, with the counts as text. */
    static String progress(int completed, int running, int failed, int total) {
        int t = Math.max(total, 1);
        StringBuilder b = new StringBuilder("<div class=\"progress\"><span class=\"done\" style=\"width:")
                .append(Math.min(100, completed * 100 / t)).append("%\"></span><span class=\"running\" style=\"width:")
                .append(Math.min(100, running * 100 / t)).append("%\"></span><span class=\"label\">")
                .append(completed).append('/').append(total);
        if (running > 0) {
            b.append(" (").append(running).append(" running)");
        }
        if (failed > 0) {
            b.append(" (").append(failed).append(" failed)");
        }
        return b.append("</span></div>").toString();
    }

    /** A table header row whose columns are sortable by the bundled script (numbers by their data-v). */
    static String header(String... columns) {
        StringBuilder b = new StringBuilder("<thead><tr>");
        for (String c : columns) {
            b.append("<th>").append(escape(c)).append("</th>");
        }
        return b.append("</tr></thead>").toString();
    }

    /** A numeric cell: shown as {@code shown}, sorted by {@code value}. */
    static String num(long value, String shown) {
        return "<td class=\"n\" data-v=\"" + value + "\">" + escape(shown) + "</td>";
    }

    /** A text cell, escaped. */
    static String cell(Object text) {
        return "<td>" + escape(text) + "</td>";
    }
}
