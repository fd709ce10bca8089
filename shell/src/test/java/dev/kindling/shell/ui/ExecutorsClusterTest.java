package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Executors page, REST API, timeline and metrics of an application on {@code local-cluster[2,1,512]}:
 * the driver and one row per executor process, each with the tasks a listener of the same context saw
 * end there; an executor killed with {@code kill -9} turns Dead with the reason (its pid and exit code)
 * in {@code /allexecutors}, on the page (in a real Chromium too) and in {@code /metrics}; and a replay
 * of the application's event log shows the same rows.
 */
@Tag("slow")
class ExecutorsClusterTest {

    private static final String EXECUTOR_MAIN = "dev.kindling.internal.cluster.ExecutorProcess";

    @TempDir
    Path dir;

    /** The task ends, with the executor each names. */
    static final class TaskEnds implements SchedulerListener {
        final List<SchedulerEvent.TaskEnd> ends = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            ends.add(event);
        }

        Map<String, Long> byExecutor() {
            synchronized (ends) {
                return ends.stream().collect(Collectors.groupingBy(e -> e.task().executorId(), TreeMap::new,
                        Collectors.counting()));
            }
        }
    }

    private static Map<String, JsonNode> byId(JsonNode rows) {
        Map<String, JsonNode> out = new TreeMap<>();
        rows.forEach(r -> out.put(r.path("id").asText(), r));
        return out;
    }

    private static Map<String, Long> totalTasks(JsonNode rows) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(r -> {
            if (r.path("totalTasks").asLong() > 0) {
                out.put(r.path("id").asText(), r.path("totalTasks").asLong());
            }
        });
        return out;
    }

    /** Runs a job of two stages (a shuffle) on 8 partitions; returns the pids of the processes that ran it. */
    private static Set<Long> runJob(KindlingContext kc) {
        Map<Integer, Integer> sums = new TreeMap<>(kc.parallelize(IntStream.range(0, 400).boxed().toList(), 8)
                .mapToPair(x -> Pair.of(x % 5, x)).reduceByKey(Integer::sum, 4).collectAsMap());
        Map<Integer, Integer> expected = IntStream.range(0, 400).boxed()
                .collect(Collectors.groupingBy(x -> x % 5, TreeMap::new, Collectors.summingInt(x -> x)));
        assertEquals(expected, sums);
        return new HashSet<>(kc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
                .map(x -> ProcessHandle.current().pid()).collect());
    }

    @Test
    void whenAJobRunsOnLocalClusterAndAnExecutorIsKilled_thenItsRowTurnsDeadWithTheReasonAndTheLogReplaysTheRows()
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve("events"));
        TaskEnds seen = new TaskEnds();
        JsonNode liveRows;
        String killedId;
        long killedPid;
        String appId;
        try (KindlingContext kc = Kindling.builder().master("local-cluster[2,1,512]").appName("executors")
                .config("kindling.ui.enabled", "true").config("kindling.ui.port", "0")
                .config("kindling.eventLog.enabled", "true").config("kindling.eventLog.dir", logs.toString()).build()) {
            kc.addListener(seen);
            appId = kc.applicationId();
            String base = kc.uiWebUrl().orElseThrow();
            String api = base + "/api/v1/applications/" + appId;
            Set<Long> pids = runJob(kc);
            assertEquals(2, pids.size(), "both executor processes ran tasks: " + pids);
            assertFalse(pids.contains(ProcessHandle.current().pid()), "no task ran in the driver");

            // The driver and two executors, each with the task ends the listener saw there.
            JsonNode all = RestApiTest.json(api + "/allexecutors");
            Map<String, JsonNode> rows = byId(all);
            assertEquals(3, rows.size(), all.toString());
            assertTrue(rows.containsKey("driver"), all.toString());
            assertEquals(0, rows.get("driver").path("totalCores").asInt(), "the driver runs no tasks on a cluster");
            assertEquals(0, rows.get("driver").path("totalTasks").asInt());
            List<String> executorIds = rows.keySet().stream().filter(id -> !id.equals("driver")).toList();
            for (String id : executorIds) {
                JsonNode e = rows.get(id);
                assertTrue(e.path("isActive").asBoolean(), e.toString());
                assertEquals(1, e.path("totalCores").asInt(), e.toString());
                assertTrue(e.path("hostPort").asText().matches("[^:]+:[0-9]+"), e.toString());
                assertTrue(e.path("completedTasks").asLong() > 0, "executor " + id + " ran tasks: " + e);
                assertFalse(e.has("removeReason"), e.toString());
            }
            assertEquals(seen.byExecutor(), totalTasks(all), "REST task counts = the listener's, per executor");
            long sum = 0;
            for (JsonNode e : all) {
                sum += e.path("totalTasks").asLong();
            }
            assertEquals(seen.ends.size(), sum, "every task is counted once");
            assertEquals(3, RestApiTest.json(api + "/executors").size(), "all three are active");
            String stageTasks = Http.get(base + "/stages/stage/?id=0&attempt=0").body();
            assertTrue(stageTasks.contains(executorIds.get(0)) && stageTasks.contains(executorIds.get(1)),
                    "the stage page names the executors that ran its tasks");

            // kill -9 one executor process; the cluster notices its exit.
            List<ProcessHandle> processes = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_MAIN)).toList();
            assertEquals(2, processes.size());
            ProcessHandle victim = processes.get(0);
            killedPid = victim.pid();
            assertTrue(victim.destroyForcibly());
            victim.onExit().get(60, TimeUnit.SECONDS);
            JsonNode dead = awaitDead(api);
            killedId = dead.path("id").asText();
            assertTrue(executorIds.contains(killedId), dead.toString());
            assertFalse(dead.path("isActive").asBoolean());
            assertTrue(dead.path("removeReason").asText().contains("pid " + killedPid), dead.toString());
            assertTrue(dead.path("removeReason").asText().contains("exited with code 137"), dead.toString());
            assertTrue(dead.has("removeTime"), dead.toString());
            JsonNode active = RestApiTest.json(api + "/executors");
            assertEquals(2, active.size(), "the dead executor is not active: " + active);
            assertFalse(byId(active).containsKey(killedId));

            // The survivor runs the next job; the counts still match the listener's.
            assertEquals(1, runJob(kc).size(), "one executor process is left");
            liveRows = RestApiTest.json(api + "/allexecutors");
            assertEquals(seen.byExecutor(), totalTasks(liveRows));

            // The page, the timeline and the metrics say the same.
            String page = Http.get(base + "/executors/").body();
            assertTrue(page.contains("data-executor-id=\"" + killedId + "\" data-status=\"Dead\""), page);
            assertTrue(page.contains("pid " + killedPid), page);
            String survivor = executorIds.stream().filter(id -> !id.equals(killedId)).findFirst().orElseThrow();
            assertTrue(page.contains("data-executor-id=\"" + survivor + "\" data-status=\"Active\""), page);
            String jobs = Http.get(base + "/jobs/").body();
            assertEquals(3, count(jobs, "class=\"executor-added\""), "driver and two executors added on the timeline");
            assertEquals(1, count(jobs, "class=\"executor-removed\""), jobs);
            String metrics = Http.get(base + "/metrics").body();
            assertTrue(metrics.contains("kindling_executor_active{app=\"" + appId + "\",executor=\"" + killedId
                    + "\"} 0\n"), metrics);
            assertTrue(metrics.contains("kindling_executor_tasks_completed_total{app=\"" + appId + "\",executor=\""
                    + survivor + "\"} " + liveRows.get(indexOf(liveRows, survivor)).path("completedTasks").asLong()
                    + "\n"), metrics);

            // In a real browser: three rows, one Dead with its reason.
            String dom = Chromium.find(dir).dumpDomAndScreenshot(base + "/executors/",
                    Path.of(System.getProperty("basedir", ".")).resolve("target/ui-screenshots/executors-cluster.png"),
                    1400, 400);
            assertEquals(3, count(dom, "class=\"executor-row\""), dom);
            assertEquals(1, count(dom, "data-status=\"Dead\""), dom);
            assertTrue(dom.contains("exited with code 137"), dom);
        }

        // The history server replays the log into the same rows; at close the others were stopped.
        Path log;
        try (Stream<Path> files = Files.list(logs)) {
            log = files.filter(f -> f.getFileName().toString().startsWith(appId)).findFirst().orElseThrow();
        }
        UiApp replayed = HistoryApps.replay(log, StatusStore.Limits.DEFAULT);
        JsonNode history = RestApi.answer(List.of("applications", appId, "allexecutors"), List.of(replayed),
                id -> replayed);
        assertEquals(liveRows.size(), history.size(), history.toString());
        for (JsonNode live : liveRows) {
            JsonNode h = byId(history).get(live.path("id").asText());
            for (String field : List.of("hostPort", "totalCores", "activeTasks", "completedTasks", "failedTasks",
                    "totalTasks", "totalDuration", "totalShuffleRead", "totalShuffleWrite", "addTime")) {
                assertEquals(live.path(field).asText(), h.path(field).asText(), field + " of executor " + live.path("id"));
            }
            assertFalse(h.path("isActive").asBoolean(), "the application ended: " + h);
            if (live.path("id").asText().equals(killedId)) {
                assertEquals(live.path("removeReason"), h.path("removeReason"));
                assertEquals(live.path("removeTime"), h.path("removeTime"));
            } else {
                assertEquals("stopped: the context was closed", h.path("removeReason").asText(), h.toString());
            }
        }
        assertNotEquals(0, killedPid);
        String replayPage = ExecutorsPage.render(replayed, "");
        assertTrue(replayPage.contains("data-executor-id=\"" + killedId + "\" data-status=\"Dead\""), replayPage);
    }

    private static int indexOf(JsonNode rows, String id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).path("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no executor " + id + " in " + rows);
    }

    /** Waits (a hang guard, not a timing assertion) for one executor to be reported dead. */
    private static JsonNode awaitDead(String api) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            for (JsonNode e : RestApiTest.json(api + "/allexecutors")) {
                if (!e.path("isActive").asBoolean()) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no executor was reported dead within 120 s of the kill");
            }
            Thread.sleep(50);
        }
    }

    private static int count(String text, String literal) {
        int n = 0;
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length())) {
            n++;
        }
        return n;
    }
}
