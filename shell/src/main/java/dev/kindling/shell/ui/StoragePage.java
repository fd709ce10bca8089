package dev.kindling.shell.ui;

import dev.kindling.RDDStorageInfo;
import dev.kindling.internal.rdd.StorageStatus;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Storage page (persisted RDDs: level, partitions cached, sizes in memory and on disk) and the
 * page of one persisted RDD (one row per cached partition, with the executors holding it). Blocks of the
 * driver come from the live context's block store, with sizes; blocks cached in executor processes
 * ({@code local-cluster}) from the store's {@code BlockUpdated} events, live or replayed, without sizes
 * (executors do not report them: shown as "-"). A replayed application otherwise shows the persisted RDDs
 * its stages used, without sizes.
 */
final class StoragePage {

    private StoragePage() {
    }

    /** The live storage of each persisted RDD by id (empty for a replayed application). */
    static Map<Integer, RDDStorageInfo> live(UiApp app) {
        Map<Integer, RDDStorageInfo> out = new HashMap<>();
        if (app.context() != null && !app.context().isClosed()) {
            for (RDDStorageInfo info : app.context().getRDDStorageInfo()) {
                out.put(info.rddId(), info);
            }
        }
        return out;
    }

    static String render(UiApp app, String base) {
        Map<Integer, RDDStorageInfo> live = live(app);
        List<SchedulerEvent.RddInfo> rdds = app.store().read(() -> List.copyOf(app.store().persistedRdds.values()));
        StringBuilder b = new StringBuilder("<h2>RDDs (").append(rdds.size()).append(")</h2>");
        if (app.context() == null) {
            b.append("<p class=\"note\">Replayed from an event log: the log records which RDDs were persisted, "
                    + "not the sizes of their blocks.</p>");
        }
        b.append("<table class=\"sortable storage\">").append(Html.header("ID", "RDD Name", "Storage Level",
                "Cached Partitions", "Fraction Cached", "Size in Memory", "Size on Disk")).append("<tbody>");
        for (SchedulerEvent.RddInfo r : rdds) {
            RDDStorageInfo info = live.get(r.id());
            int onExecutors = app.store().executorBlocks(r.id()).size();
            int cached = (info == null ? 0 : info.cachedPartitions()) + onExecutors;
            int partitions = info == null ? r.numPartitions() : info.numPartitions();
            boolean known = info != null || onExecutors > 0;
            boolean sized = info != null && onExecutors == 0; // executors do not report sizes
            b.append("<tr class=\"rdd-row\" data-rdd-id=\"").append(r.id()).append("\">")
                    .append(Html.num(r.id(), Integer.toString(r.id())))
                    .append("<td><a href=\"").append(Html.escape(base + "/storage/rdd/?id=" + r.id())).append("\">")
                    .append(Html.escape(r.name())).append("</a></td>")
                    .append(Html.cell(info == null ? r.storageLevel() : info.level().name()))
                    .append(Html.num(cached, known ? cached + "/" + partitions : "-"))
                    .append(Html.num(cached, known ? (cached * 100 / Math.max(1, partitions)) + "%" : "-"))
                    .append(Html.num(sized ? info.memoryBytes() : 0, sized ? Html.bytes(info.memoryBytes()) : "-"))
                    .append(Html.num(sized ? info.diskBytes() : 0, sized ? Html.bytes(info.diskBytes()) : "-"))
                    .append("</tr>");
        }
        b.append("</tbody></table>");
        return Html.page(base, app.name(), "Storage", "Storage", app.running(), app.banner(), b.toString());
    }

    /** The page of persisted RDD {@code rddId}, or null when it is not known. */
    static String renderRdd(UiApp app, String base, int rddId) {
        SchedulerEvent.RddInfo r = app.store().read(() -> app.store().persistedRdds.get(rddId));
        if (r == null) {
            return null;
        }
        RDDStorageInfo info = live(app).get(rddId);
        StringBuilder b = new StringBuilder("<ul class=\"facts\"><li><b>Name:</b> ").append(Html.escape(r.name()))
                .append("</li><li><b>Created at:</b> ").append(Html.escape(r.callSite()))
                .append("</li><li><b>Storage level:</b> ").append(Html.escape(r.storageLevel()))
                .append("</li><li><b>Partitions:</b> ").append(r.numPartitions());
        if (info != null) {
            b.append("</li><li><b>Cached partitions:</b> ").append(info.cachedPartitions())
                    .append("</li><li><b>Cache hits / misses / evictions:</b> ").append(info.hits()).append(" / ")
                    .append(info.misses()).append(" / ").append(info.evictions());
        }
        Map<Integer, List<String>> onExecutors = app.store().executorBlocks(rddId);
        boolean running = app.context() != null && !app.context().isClosed();
        if (info == null && !onExecutors.isEmpty()) {
            b.append("</li><li><b>Cached partitions:</b> ").append(onExecutors.size());
        }
        b.append("</li></ul><h2>Partitions</h2>");
        if (!running && onExecutors.isEmpty()) {
            b.append("<p class=\"note\">The blocks of a finished application are gone; "
                    + "the event log does not record them.</p>");
        } else {
            b.append("<table class=\"sortable partitions\">").append(Html.header("Block Name", "Storage Level",
                    "Size in Memory", "Size on Disk", "Executors")).append("<tbody>");
            if (running) {
                for (StorageStatus.CachedPartition p : StorageStatus.cachedPartitions(app.context())) {
                    if (p.rddId() == rddId) {
                        b.append("<tr class=\"partition-row\">").append(Html.cell("rdd_" + rddId + "_" + p.partition()))
                                .append(Html.cell(p.storageLevel()))
                                .append(Html.num(p.memoryBytes(), Html.bytes(p.memoryBytes())))
                                .append(Html.num(p.diskBytes(), Html.bytes(p.diskBytes())))
                                .append(Html.cell(StatusStore.DRIVER)).append("</tr>");
                    }
                }
            }
            onExecutors.forEach((partition, holders) -> b.append("<tr class=\"partition-row\">")
                    .append(Html.cell("rdd_" + rddId + "_" + partition)).append(Html.cell(r.storageLevel()))
                    .append(Html.num(0, "-")).append(Html.num(0, "-"))
                    .append(Html.cell(String.join(", ", holders))).append("</tr>"));
            b.append("</tbody></table>");
        }
        return Html.page(base, app.name(), "RDD Storage Info for " + r.name(), "Storage", app.running(), app.banner(),
                b.toString());
    }
}
