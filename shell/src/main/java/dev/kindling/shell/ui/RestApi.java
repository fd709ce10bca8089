package dev.kindling.shell.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.RDDStorageInfo;
import dev.kindling.internal.rdd.StorageStatus;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskMetrics;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST API under {@code /api/v1}, with Spark's paths and field names so tools written for Spark's
 * monitoring API read it: {@code applications}, {@code applications/{id}/jobs[/{jobId}]},
 * {@code stages[/{stageId}[/{attempt}[/taskList]]]}, {@code executors}, {@code allexecutors},
 * {@code storage/rdd[/{rddId}]}, {@code environment}. Dates are Spark's {@code 2026-12-02T12:00:00.000GMT};
 * times follow Spark's units (run and deserialize times in ms, CPU and shuffle write times in ns).
 * Fields Kindling does not have (scheduling pools, blacklists) are left out rather than faked.
 */
final class RestApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private RestApi() {
    }

    /** Spark's date format, or null for an unknown (negative) time. */
    static String date(long epochMillis) {
        return epochMillis < 0 ? null : DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * The answer to {@code path} (below {@code /api/v1/}, split at slashes), or null for an unknown
     * path or object (404). {@code apps} are the applications served, in list order.
     */
    static JsonNode answer(List<String> path, Collection<UiApp> apps, java.util.function.Function<String, UiApp> byId) {
        if (path.isEmpty() || !path.get(0).equals("applications")) {
            return null;
        }
        if (path.size() == 1) {
            ArrayNode list = JSON.createArrayNode();
            apps.forEach(a -> list.add(application(a)));
            return list;
        }
        UiApp app = byId.apply(path.get(1));
        if (app == null) {
            return null;
        }
        if (path.size() == 2) {
            return application(app);
        }
        List<String> rest = path.subList(2, path.size());
        return app.store().read(() -> switch (rest.get(0)) {
            case "jobs" -> jobs(app, rest);
            case "stages" -> stages(app, rest);
            case "executors" -> rest.size() == 1 ? executors(app, false) : null;
            case "allexecutors" -> rest.size() == 1 ? executors(app, true) : null;
            case "storage" -> storage(app, rest);
            case "environment" -> rest.size() == 1 ? environment(app) : null;
            default -> null;
        });
    }

    static ObjectNode application(UiApp app) {
        StatusStore s = app.store();
        long start = s.application.startTime();
        long end = s.read(() -> s.endTime);
        long last = app.now();
        ObjectNode a = JSON.createObjectNode().put("id", app.id()).put("name", app.name());
        ObjectNode attempt = a.putArray("attempts").addObject();
        attempt.put("startTime", date(start)).put("endTime", end < 0 ? date(-1) : date(end))
                .put("lastUpdated", date(last)).put("duration", (end < 0 ? last : end) - start)
                .put("sparkUser", s.application.user()).put("completed", end >= 0)
                .put("appSparkVersion", s.application.kindlingVersion()).put("startTimeEpoch", start)
                .put("endTimeEpoch", end).put("lastUpdatedEpoch", last);
        return a;
    }

    private static JsonNode jobs(UiApp app, List<String> rest) {
        if (rest.size() == 1) {
            ArrayNode list = JSON.createArrayNode();
            List<UiJob> jobs = new ArrayList<>(app.store().jobs.values());
            java.util.Collections.reverse(jobs); // newest first, as Spark
            jobs.forEach(j -> list.add(job(j)));
            return list;
        }
        UiJob j = rest.size() == 2 ? app.store().jobs.get(parse(rest.get(1))) : null;
        return j == null ? null : job(j);
    }

    static ObjectNode job(UiJob j) {
        ObjectNode o = JSON.createObjectNode().put("jobId", j.jobId)
                .put("name", j.description == null ? "job " + j.jobId : j.description).put("description", j.description)
                .put("submissionTime", date(j.submissionTime)).put("completionTime", date(j.completionTime));
        ArrayNode ids = o.putArray("stageIds");
        j.stageIds.forEach(ids::add);
        o.put("jobGroup", j.jobGroup).put("status", j.status).put("numTasks", j.numTasks)
                .put("numActiveTasks", j.activeTasks).put("numCompletedTasks", j.completedTasks)
                .put("numSkippedTasks", 0).put("numFailedTasks", j.failedTasks).put("numKilledTasks", j.killedTasks)
                .put("numActiveStages", Math.max(0, j.stageIds.size() - j.completedStages - j.failedStages)
                        * (j.finished() ? 0 : 1))
                .put("numCompletedStages", j.completedStages).put("numSkippedStages", 0)
                .put("numFailedStages", j.failedStages);
        if (j.failure != null) {
            o.put("failureReason", j.failure);
        }
        return o;
    }

    private static JsonNode stages(UiApp app, List<String> rest) {
        Collection<UiStage> all = app.store().stages.values();
        if (rest.size() == 1) {
            ArrayNode list = JSON.createArrayNode();
            List<UiStage> stages = new ArrayList<>(all);
            java.util.Collections.reverse(stages);
            stages.forEach(s -> list.add(stage(s)));
            return list;
        }
        int stageId = parse(rest.get(1));
        if (rest.size() == 2) {
            ArrayNode attempts = JSON.createArrayNode();
            all.stream().filter(s -> s.stageId == stageId).forEach(s -> attempts.add(stage(s)));
            return attempts.isEmpty() ? null : attempts;
        }
        UiStage s = app.store().stages.get(UiStage.key(stageId, parse(rest.get(2))));
        if (s == null) {
            return null;
        }
        if (rest.size() == 3) {
            ObjectNode o = stage(s);
            ObjectNode tasks = o.putObject("tasks");
            s.tasks.values().forEach(t -> tasks.set(Long.toString(t.taskId), task(t)));
            return o;
        }
        if (rest.size() == 4 && rest.get(3).equals("taskList")) {
            ArrayNode list = JSON.createArrayNode();
            s.tasks.values().forEach(t -> list.add(task(t)));
            return list;
        }
        return null;
    }

    static ObjectNode stage(UiStage s) {
        MetricTotals t = s.totals;
        ObjectNode o = JSON.createObjectNode().put("status", s.status).put("stageId", s.stageId)
                .put("attemptId", s.attempt).put("numTasks", s.numTasks).put("numActiveTasks", s.activeTasks)
                .put("numCompleteTasks", s.completedTasks).put("numFailedTasks", s.failedTasks)
                .put("numKilledTasks", s.killedTasks).put("submissionTime", date(s.submissionTime))
                .put("completionTime", date(s.completionTime)).put("failureReason", s.failureReason)
                .put("executorRunTime", t.runNanos / 1_000_000).put("executorCpuTime", t.cpuNanos)
                .put("jvmGcTime", t.gcMillis).put("inputBytes", t.inputBytes).put("inputRecords", t.inputRecords)
                .put("outputBytes", t.outputBytes).put("outputRecords", t.outputRecords)
                .put("shuffleReadBytes", t.shuffleReadBytes).put("shuffleReadRecords", t.shuffleReadRecords)
                .put("shuffleWriteBytes", t.shuffleWriteBytes).put("shuffleWriteRecords", t.shuffleWriteRecords)
                .put("memoryBytesSpilled", t.memoryBytesSpilled).put("diskBytesSpilled", t.diskBytesSpilled)
                .put("peakExecutionMemory", t.peakExecutionMemory).put("name", s.name).put("details", s.name);
        ArrayNode rdds = o.putArray("rddIds");
        s.rdds.forEach(r -> rdds.add(r.id()));
        ArrayNode parents = o.putArray("parentIds");
        s.parentIds.forEach(parents::add);
        ArrayNode jobs = o.putArray("jobIds");
        s.jobIds.forEach(jobs::add);
        return o;
    }

    static ObjectNode task(UiTask t) {
        ObjectNode o = JSON.createObjectNode().put("taskId", t.taskId).put("index", t.partition)
                .put("attempt", t.attempt).put("partitionId", t.partition).put("launchTime", date(t.launchTime));
        if (t.finishTime >= 0) {
            o.put("duration", t.finishTime - t.launchTime);
        }
        o.put("executorId", t.executorId).put("host", t.host).put("status", t.status)
                .put("taskLocality", t.locality.name()).put("speculative", false);
        if (t.errorMessage != null) {
            o.put("errorMessage", t.errorMessage);
        }
        TaskMetrics m = t.metrics;
        if (m != null) {
            ObjectNode tm = o.putObject("taskMetrics");
            tm.put("executorDeserializeTime", m.deserializeNanos() / 1_000_000)
                    .put("executorDeserializeCpuTime", 0).put("executorRunTime", m.runNanos() / 1_000_000)
                    .put("executorCpuTime", m.cpuNanos()).put("resultSize", m.resultSize())
                    .put("jvmGcTime", m.gcMillis()).put("resultSerializationTime", 0)
                    .put("memoryBytesSpilled", m.memoryBytesSpilled()).put("diskBytesSpilled", m.diskBytesSpilled())
                    .put("peakExecutionMemory", m.peakExecutionMemory());
            tm.putObject("inputMetrics").put("bytesRead", m.inputBytesRead()).put("recordsRead", m.recordsRead());
            tm.putObject("outputMetrics").put("bytesWritten", m.outputBytesWritten())
                    .put("recordsWritten", m.outputRecordsWritten());
            tm.putObject("shuffleReadMetrics").put("remoteBytesRead", m.shuffleRemoteBytesRead())
                    .put("localBytesRead", m.shuffleLocalBytesRead())
                    .put("fetchWaitTime", m.shuffleFetchWaitNanos() / 1_000_000)
                    .put("recordsRead", m.shuffleRecordsRead());
            tm.putObject("shuffleWriteMetrics").put("bytesWritten", m.shuffleBytesWritten())
                    .put("writeTime", m.shuffleWriteNanos()).put("recordsWritten", m.shuffleRecordsWritten());
        }
        return o;
    }

    /**
     * {@code executors} (the active ones) or {@code allexecutors} (dead ones too, with
     * {@code removeTime} and {@code removeReason}). Memory is known for the driver's own block store
     * only (executor processes do not report theirs): other executors show 0.
     */
    private static JsonNode executors(UiApp app, boolean all) {
        StorageStatus.Memory memory = ExecutorsPage.driverMemory(app);
        StatusStore s = app.store();
        ArrayNode list = JSON.createArrayNode();
        for (UiExecutor e : s.executors.values()) {
            boolean active = s.isActive(e);
            if (!active && !all) {
                continue;
            }
            StorageStatus.Memory m = e.id.equals(StatusStore.DRIVER) ? memory : null;
            ObjectNode o = list.addObject().put("id", e.id).put("hostPort", e.hostPort).put("isActive", active)
                    .put("memoryUsed", m == null ? 0 : m.storageUsed())
                    .put("maxMemory", m == null ? 0 : m.maxBytes())
                    .put("totalCores", e.cores).put("maxTasks", e.cores).put("activeTasks", e.activeTasks)
                    .put("failedTasks", e.failedTasks).put("completedTasks", e.completedTasks)
                    .put("totalTasks", e.totalTasks()).put("totalDuration", e.totalDuration)
                    .put("totalGCTime", e.totals.gcMillis).put("totalInputBytes", e.totals.inputBytes)
                    .put("totalShuffleRead", e.totals.shuffleReadBytes)
                    .put("totalShuffleWrite", e.totals.shuffleWriteBytes)
                    .put("addTime", date(e.addTime >= 0 ? e.addTime : s.application.startTime()));
            if (e.removeTime >= 0) {
                o.put("removeTime", date(e.removeTime)).put("removeReason", e.removeReason);
            }
        }
        return list;
    }

    private static JsonNode storage(UiApp app, List<String> rest) {
        if (rest.size() < 2 || !rest.get(1).equals("rdd") || rest.size() > 3) {
            return null;
        }
        Map<Integer, RDDStorageInfo> live = StoragePage.live(app);
        if (rest.size() == 2) {
            ArrayNode list = JSON.createArrayNode();
            app.store().read(() -> List.copyOf(app.store().persistedRdds.values()))
                    .forEach(r -> list.add(rdd(r, live.get(r.id()), app.store().executorBlocks(r.id()))));
            return list;
        }
        SchedulerEvent.RddInfo r = app.store().read(() -> app.store().persistedRdds.get(parse(rest.get(2))));
        if (r == null) {
            return null;
        }
        Map<Integer, List<String>> onExecutors = app.store().executorBlocks(r.id());
        ObjectNode o = rdd(r, live.get(r.id()), onExecutors);
        ArrayNode partitions = o.putArray("partitions");
        if (app.context() != null && !app.context().isClosed()) {
            for (StorageStatus.CachedPartition p : StorageStatus.cachedPartitions(app.context())) {
                if (p.rddId() == r.id()) {
                    partitions.addObject().put("blockName", "rdd_" + p.rddId() + "_" + p.partition())
                            .put("storageLevel", p.storageLevel()).put("memoryUsed", p.memoryBytes())
                            .put("diskUsed", p.diskBytes()).putArray("executors").add(StatusStore.DRIVER);
                }
            }
        }
        onExecutors.forEach((partition, holders) -> {
            ObjectNode p = partitions.addObject().put("blockName", "rdd_" + r.id() + "_" + partition)
                    .put("storageLevel", r.storageLevel()).putNull("memoryUsed").putNull("diskUsed");
            holders.forEach(p.putArray("executors")::add);
        });
        return o;
    }

    /**
     * One RDD's summary: the driver's cached blocks ({@code info}, null when none) and those held by
     * executor processes ({@code onExecutors}); sizes are null when executors hold blocks (not reported).
     */
    static ObjectNode rdd(SchedulerEvent.RddInfo r, RDDStorageInfo info, Map<Integer, List<String>> onExecutors) {
        ObjectNode o = JSON.createObjectNode().put("id", r.id()).put("name", r.name())
                .put("numPartitions", r.numPartitions())
                .put("numCachedPartitions", (info == null ? 0 : info.cachedPartitions()) + onExecutors.size())
                .put("storageLevel", info == null ? r.storageLevel() : info.level().name());
        if (onExecutors.isEmpty()) {
            o.put("memoryUsed", info == null ? 0 : info.memoryBytes()).put("diskUsed", info == null ? 0 : info.diskBytes());
        } else {
            o.putNull("memoryUsed").putNull("diskUsed");
        }
        return o;
    }

    private static JsonNode environment(UiApp app) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("runtime").put("javaVersion", app.context() != null ? Runtime.version().toString() : null)
                .put("javaHome", app.context() != null ? System.getProperty("java.home") : null);
        ArrayNode props = o.putArray("sparkProperties");
        new java.util.TreeMap<>(dev.kindling.internal.eventlog.ApplicationInfo.redact(
                app.store().application.configuration())).forEach((k, v) -> props.addArray().add(k).add(v));
        return o;
    }

    /** An id from a path segment; -1 (unknown) when not a number. */
    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
