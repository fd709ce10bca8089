package dev.kindling.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny SVG writer for benchmark reports: one horizontal bar per row, grouped by benchmark and
 * size, each group scaled to its own largest value (groups have different units), with the value
 * printed at the end of each bar. No dependency; the output opens in any browser.
 */
public final class SvgChart {

    private static final int WIDTH = 900;
    private static final int LABEL = 330;
    private static final int BAR = 18;
    private static final int GAP = 4;
    private static final Map<String, String> COLORS = Map.of("kindling", "#d9622b", "kindling-cluster", "#a8431a",
            "hand-written", "#4a7ab5", "spark", "#8a8a8a");

    private SvgChart() {
    }

    /** Renders the rows as an SVG document with the given title. */
    public static String render(String title, List<BenchmarkRunner.Row> rows) {
        Map<String, List<BenchmarkRunner.Row>> groups = new LinkedHashMap<>();
        for (BenchmarkRunner.Row r : rows) {
            groups.computeIfAbsent(r.benchmark() + " — " + r.size(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Map.Entry<String, List<BenchmarkRunner.Row>> g : groups.entrySet()) {
            body.append(text(10, y + 12, g.getKey(), "bold"));
            y += 20;
            double max = g.getValue().stream().mapToDouble(BenchmarkRunner.Row::value).max().orElse(1);
            for (BenchmarkRunner.Row r : g.getValue()) {
                double w = max <= 0 ? 0 : (WIDTH - LABEL - 120) * r.value() / max;
                body.append(text(LABEL - 8, y + 13, r.engine(), "end"));
                body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        LABEL, y, w, BAR, COLORS.getOrDefault(r.engine(), "#6b9e59")));
                body.append(text((int) (LABEL + w + 6), y + 13, BenchmarkRunner.format(r.value()) + " " + r.unit(), null));
                y += BAR + GAP;
            }
            y += 10;
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                WIDTH, y + 10)
                + text(10, 22, title, "title") + body + "</svg>\n";
    }

    private static String text(int x, int y, String s, String style) {
        String attrs = "";
        if ("bold".equals(style)) {
            attrs = " font-weight=\"bold\"";
        } else if ("end".equals(style)) {
            attrs = " text-anchor=\"end\"";
        } else if ("title".equals(style)) {
            attrs = " font-size=\"15\" font-weight=\"bold\"";
        }
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y, attrs, escape(s));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
