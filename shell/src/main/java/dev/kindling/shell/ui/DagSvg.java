package dev.kindling.shell.ui;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A job's DAG as SVG, drawn on the server: one box per stage ({@code rect.stage-box}), columns by
 * depth (a stage stands right of every stage it reads), the stage's RDDs inside it from its input
 * (top) to its output (bottom) with their narrow dependencies as lines, persisted RDDs filled green
 * and marked "cached", and an arrow for each shuffle from the map stage to the stage that reads it.
 * A parent stage the job skipped (its output existed) is drawn dashed, without RDDs.
 */
final class DagSvg {

    private static final int BOX_W = 220;
    private static final int GAP_X = 60;
    private static final int RDD_H = 30;
    private static final int RDD_GAP = 12;
    private static final int TOP = 34;

    private DagSvg() {
    }

    /** The picture of {@code stages} (a job's stage descriptions, parents before children). */
    static String svg(List<SchedulerEvent.StageInfo> stages, Map<Integer, String> statusOfStage, String base) {
        Map<Integer, SchedulerEvent.StageInfo> byId = new HashMap<>();
        stages.forEach(s -> byId.put(s.stageId(), s));
        List<Integer> skipped = new ArrayList<>();
        for (SchedulerEvent.StageInfo s : stages) {
            for (int p : s.parentIds()) {
                if (!byId.containsKey(p) && !skipped.contains(p)) {
                    skipped.add(p);
                }
            }
        }
        Map<Integer, Integer> depth = new HashMap<>();
        skipped.forEach(id -> depth.put(id, 0));
        List<SchedulerEvent.StageInfo> sorted = new ArrayList<>(stages);
        sorted.sort(java.util.Comparator.comparingInt(SchedulerEvent.StageInfo::stageId));
        for (SchedulerEvent.StageInfo s : sorted) {
            int d = 0;
            for (int p : s.parentIds()) {
                d = Math.max(d, depth.getOrDefault(p, 0) + 1);
            }
            depth.put(s.stageId(), d);
        }
        // Place boxes: column = depth, stacked in each column.
        Map<Integer, int[]> box = new HashMap<>(); // x, y, w, h
        Map<Integer, Integer> columnBottom = new HashMap<>();
        List<Integer> order = new ArrayList<>(skipped);
        sorted.forEach(s -> order.add(s.stageId()));
        for (int id : order) {
            int col = depth.get(id);
            SchedulerEvent.StageInfo s = byId.get(id);
            int rdds = s == null ? 0 : s.rdds().size();
            int h = TOP + Math.max(1, rdds) * (RDD_H + RDD_GAP) + 4;
            int y = columnBottom.getOrDefault(col, 10);
            box.put(id, new int[] {10 + col * (BOX_W + GAP_X), y, BOX_W, h});
            columnBottom.put(col, y + h + 20);
        }
        int width = 20, height = 20;
        for (int[] r : box.values()) {
            width = Math.max(width, r[0] + r[2] + 10);
            height = Math.max(height, r[1] + r[3] + 10);
        }
        StringBuilder b = new StringBuilder("<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\">")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
                        + "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>");
        for (int id : order) {
            int[] r = box.get(id);
            SchedulerEvent.StageInfo s = byId.get(id);
            String status = s == null ? "skipped" : statusOfStage.getOrDefault(id, "pending");
            b.append("<g class=\"stage ").append(Html.escape(status.toLowerCase(Locale.ROOT))).append("\" id=\"stage-")
                    .append(id).append("\" data-stage-id=\"").append(id).append("\">");
            b.append("<rect class=\"stage-box\" x=\"").append(r[0]).append("\" y=\"").append(r[1]).append("\" width=\"")
                    .append(r[2]).append("\" height=\"").append(r[3]).append("\" rx=\"6\"/>");
            b.append("<a href=\"").append(Html.escape(base + "/stages/stage/?id=" + id + "&attempt="
                    + (s == null ? 0 : Math.max(0, s.attempt())))).append("\"><text class=\"stage-title\" x=\"")
                    .append(r[0] + 8).append("\" y=\"").append(r[1] + 20).append("\">Stage ").append(id)
                    .append(s == null ? " (skipped)" : "").append("</text></a>");
            if (s != null) {
                drawRdds(b, s, r);
            }
            b.append("</g>");
        }
        for (SchedulerEvent.StageInfo s : sorted) {
            int[] to = box.get(s.stageId());
            for (int p : s.parentIds()) {
                int[] from = box.get(p);
                if (from != null) {
                    b.append("<line class=\"shuffle-edge\" data-from=\"").append(p).append("\" data-to=\"")
                            .append(s.stageId()).append("\" x1=\"").append(from[0] + from[2]).append("\" y1=\"")
                            .append(from[1] + from[3] / 2).append("\" x2=\"").append(to[0]).append("\" y2=\"")
                            .append(to[1] + to[3] / 2).append("\" marker-end=\"url(#arrow)\"/>");
                }
            }
        }
        return b.append("</svg>").toString();
    }

    private static void drawRdds(StringBuilder b, SchedulerEvent.StageInfo s, int[] r) {
        // rdds() lists the stage's own RDD first; draw inputs at the top.
        List<SchedulerEvent.RddInfo> rdds = new ArrayList<>(s.rdds());
        java.util.Collections.reverse(rdds);
        Map<Integer, Integer> yOf = new HashMap<>();
        for (int i = 0; i < rdds.size(); i++) {
            yOf.put(rdds.get(i).id(), r[1] + TOP + i * (RDD_H + RDD_GAP));
        }
        int x = r[0] + 10;
        int w = r[2] - 20;
        for (SchedulerEvent.RddInfo rdd : rdds) {
            int y = yOf.get(rdd.id());
            for (int p : rdd.parentIds()) {
                Integer py = yOf.get(p);
                if (py != null) {
                    b.append("<line class=\"narrow-edge\" x1=\"").append(x + w / 2).append("\" y1=\"").append(py + RDD_H)
                            .append("\" x2=\"").append(x + w / 2).append("\" y2=\"").append(y).append("\"/>");
                }
            }
            b.append("<g class=\"rdd").append(rdd.cached() ? " cached" : "").append("\" data-rdd-id=\"")
                    .append(rdd.id()).append("\"><title>").append(Html.escape(rdd.callSite()
                            + (rdd.cached() ? " (" + rdd.storageLevel() + ")" : ""))).append("</title>");
            b.append("<rect class=\"rdd-box\" x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w)
                    .append("\" height=\"").append(RDD_H).append("\" rx=\"4\"/>");
            String label = "[" + rdd.id() + "] " + rdd.name();
            int max = rdd.cached() ? 22 : 32; // what fits in the box at 12 px
            if (label.length() > max) {
                label = label.substring(0, max - 1) + "\u2026";
            }
            b.append("<text x=\"").append(x + 6).append("\" y=\"").append(y + 19).append("\">").append(Html.escape(label))
                    .append(rdd.cached() ? " \u25cf cached" : "").append("</text></g>");
        }
    }
}
