package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a real application, checked field by field against the listener events of the same
 * jobs (recorded by a second listener of the same context), and /metrics against sums over them.
 */
class RestApiTest {

    @TempDir
    Path dir;

    /** Records every event, in order. */
    static final class Recorder implements SchedulerListener {
        final List<SchedulerEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onJobStart(SchedulerEvent.JobStart e) {
            events.add(e);
        }

        @Override
        public void onJobEnd(SchedulerEvent.JobEnd e) {
            events.add(e);
        }

        @Override
        public void onStageSubmitted(SchedulerEvent.StageSubmitted e) {
            events.add(e);
        }

        @Override
        public void onStageCompleted(SchedulerEvent.StageCompleted e) {
            events.add(e);
        }

        @Override
        public void onTaskStart(SchedulerEvent.TaskStart e) {
            events.add(e);
        }

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd e) {
            events.add(e);
        }

        <T> List<T> of(Class<T> type) {
            synchronized (events) {
                return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
            }
        }
    }

    /** Jobs with a cache, a shuffle, text input and output, and a failure. */
    static void runJobs(KindlingContext kc, Path dir) throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, IntStream.range(0, 500).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n");
        var words = kc.textFile(input.toString(), 2).setName("lines").cache();
        Map<Integer, Long> counts = new TreeMap<>(words.mapToPair(l -> Pair.of(l.length(), 1L))
                .reduceByKey(Long::sum, 3).collectAsMap());
        assertEquals(3, counts.size());
        words.map(String::toUpperCase).saveAsTextFile(dir.resolve("out").toString());
        assertThrows(RuntimeException.class, () -> kc.parallelize(List.of(1, 2, 3), 3).map(x -> {
            if (x == 2) {
                throw new IllegalStateException("bad record 2");
            }
            return x;
        }).count());
    }

    static JsonNode json(String url) throws Exception {
        var r = Http.get(url);
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return RestApi.JSON.readTree(r.body());
    }

    @Test
    void whenJobsRan_thenTheRestAnswersMatchTheListenerEventsFieldByField() throws Exception {
        Recorder seen = new Recorder();
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("rest test")
                .config("kindling.ui.port", "0").build();
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            kc.addListener(ui);
            kc.addListener(seen);
            runJobs(kc, dir);
            String api = "http://127.0.0.1:" + ui.port() + "/api/v1/applications";

            JsonNode apps = json(api);
            assertEquals(1, apps.size());
            assertEquals(kc.applicationId(), apps.get(0).path("id").asText());
            assertEquals("rest test", apps.get(0).path("name").asText());
            assertEquals(false, apps.get(0).path("attempts").get(0).path("completed").asBoolean());
            String app = api + "/" + kc.applicationId();

            // Jobs: newest first, each as its start and end events say.
            List<SchedulerEvent.JobStart> starts = seen.of(SchedulerEvent.JobStart.class);
            List<SchedulerEvent.JobEnd> ends = seen.of(SchedulerEvent.JobEnd.class);
            List<SchedulerEvent.TaskEnd> taskEnds = seen.of(SchedulerEvent.TaskEnd.class);
            JsonNode jobs = json(app + "/jobs");
            assertEquals(starts.size(), jobs.size());
            for (int i = 0; i < starts.size(); i++) {
                SchedulerEvent.JobStart s = starts.get(starts.size() - 1 - i);
                SchedulerEvent.JobEnd e = ends.stream().filter(x -> x.jobId() == s.jobId()).findFirst().orElseThrow();
                JsonNode j = jobs.get(i);
                assertEquals(s.jobId(), j.path("jobId").asInt());
                assertEquals(s.description(), j.path("description").asText());
                assertEquals(s.stageIds(), ints(j.path("stageIds")));
                assertEquals(RestApi.date(s.time()), j.path("submissionTime").asText());
                assertEquals(RestApi.date(e.time()), j.path("completionTime").asText());
                assertEquals(e.succeeded() ? "SUCCEEDED" : "FAILED", j.path("status").asText());
                assertEquals(s.stageInfos().stream().mapToInt(SchedulerEvent.StageInfo::numTasks).sum(),
                        j.path("numTasks").asInt());
                List<SchedulerEvent.TaskEnd> mine = taskEnds.stream().filter(t -> s.stageIds().contains(t.stageId())).toList();
                assertEquals(mine.stream().filter(SchedulerEvent.TaskEnd::succeeded).count(), j.path("numCompletedTasks").asLong());
                assertEquals(mine.stream().filter(t -> StatusStore.status(t.failure()).equals("FAILED")).count(),
                        j.path("numFailedTasks").asLong());
                assertEquals(json(app + "/jobs/" + s.jobId()), j, "jobs/{id} answers the same object");
            }
            assertTrue(ends.stream().anyMatch(e -> !e.succeeded()), "a job failed");

            // Stages: every submitted attempt, with its totals summed from its task ends.
            List<SchedulerEvent.StageSubmitted> submitted = seen.of(SchedulerEvent.StageSubmitted.class);
            List<SchedulerEvent.StageCompleted> completed = seen.of(SchedulerEvent.StageCompleted.class);
            assertEquals(submitted.size(), json(app + "/stages").size());
            for (SchedulerEvent.StageSubmitted sub : submitted) {
                SchedulerEvent.StageInfo info = sub.stage();
                JsonNode st = json(app + "/stages/" + info.stageId() + "/" + info.attempt());
                SchedulerEvent.StageCompleted done = completed.stream().filter(c -> c.stage().stageId() == info.stageId()
                        && c.stage().attempt() == info.attempt()).findFirst().orElseThrow();
                assertEquals(info.stageId(), st.path("stageId").asInt());
                assertEquals(info.attempt(), st.path("attemptId").asInt());
                assertEquals(info.name(), st.path("name").asText());
                assertEquals(info.numTasks(), st.path("numTasks").asInt());
                assertEquals(done.failureReason() == null ? "COMPLETE" : "FAILED", st.path("status").asText());
                assertEquals(RestApi.date(sub.time()), st.path("submissionTime").asText());
                assertEquals(RestApi.date(done.time()), st.path("completionTime").asText());
                assertEquals(info.rdds().stream().map(SchedulerEvent.RddInfo::id).toList(), ints(st.path("rddIds")));
                assertEquals(info.parentIds(), ints(st.path("parentIds")));
                List<TaskMetrics> metrics = taskEnds.stream().filter(t -> t.stageId() == info.stageId()
                        && t.stageAttempt() == info.attempt()).map(SchedulerEvent.TaskEnd::metrics).toList();
                assertEquals(metrics.stream().mapToLong(TaskMetrics::inputBytesRead).sum(), st.path("inputBytes").asLong());
                assertEquals(metrics.stream().mapToLong(TaskMetrics::recordsRead).sum(), st.path("inputRecords").asLong());
                assertEquals(metrics.stream().mapToLong(TaskMetrics::outputBytesWritten).sum(), st.path("outputBytes").asLong());
                assertEquals(metrics.stream().mapToLong(TaskMetrics::shuffleBytesWritten).sum(),
                        st.path("shuffleWriteBytes").asLong());
                assertEquals(metrics.stream().mapToLong(TaskMetrics::shuffleRecordsRead).sum(),
                        st.path("shuffleReadRecords").asLong());
                assertEquals(metrics.stream().mapToLong(TaskMetrics::cpuNanos).sum(), st.path("executorCpuTime").asLong());

                // Tasks: each task end, field by field.
                JsonNode tasks = json(app + "/stages/" + info.stageId() + "/" + info.attempt() + "/taskList");
                List<SchedulerEvent.TaskEnd> stageEnds = taskEnds.stream().filter(t -> t.stageId() == info.stageId()
                        && t.stageAttempt() == info.attempt()).toList();
                assertEquals(stageEnds.size(), tasks.size());
                for (SchedulerEvent.TaskEnd t : stageEnds) {
                    JsonNode task = null;
                    for (JsonNode n : tasks) {
                        if (n.path("taskId").asLong() == t.task().taskId()) {
                            task = n;
                        }
                    }
                    assertNotNull(task, "task " + t.task().taskId());
                    SchedulerEvent.TaskStart start = seen.of(SchedulerEvent.TaskStart.class).stream()
                            .filter(x -> x.task().taskId() == t.task().taskId()).findFirst().orElseThrow();
                    assertEquals(t.task().partition(), task.path("index").asInt());
                    assertEquals(t.task().attempt(), task.path("attempt").asInt());
                    assertEquals(RestApi.date(start.time()), task.path("launchTime").asText());
                    assertEquals(t.time() - start.time(), task.path("duration").asLong());
                    assertEquals("driver", task.path("executorId").asText());
                    assertEquals(StatusStore.status(t.failure()), task.path("status").asText());
                    if (t.failure() != null) {
                        assertTrue(task.path("errorMessage").asText().contains(t.failure().getMessage()));
                    }
                    TaskMetrics m = t.metrics();
                    JsonNode tm = task.path("taskMetrics");
                    assertEquals(m.runNanos() / 1_000_000, tm.path("executorRunTime").asLong());
                    assertEquals(m.cpuNanos(), tm.path("executorCpuTime").asLong());
                    assertEquals(m.gcMillis(), tm.path("jvmGcTime").asLong());
                    assertEquals(m.resultSize(), tm.path("resultSize").asLong());
                    assertEquals(m.peakExecutionMemory(), tm.path("peakExecutionMemory").asLong());
                    assertEquals(m.memoryBytesSpilled(), tm.path("memoryBytesSpilled").asLong());
                    assertEquals(m.diskBytesSpilled(), tm.path("diskBytesSpilled").asLong());
                    assertEquals(m.inputBytesRead(), tm.path("inputMetrics").path("bytesRead").asLong());
                    assertEquals(m.recordsRead(), tm.path("inputMetrics").path("recordsRead").asLong());
                    assertEquals(m.outputBytesWritten(), tm.path("outputMetrics").path("bytesWritten").asLong());
                    assertEquals(m.outputRecordsWritten(), tm.path("outputMetrics").path("recordsWritten").asLong());
                    assertEquals(m.shuffleLocalBytesRead(), tm.path("shuffleReadMetrics").path("localBytesRead").asLong());
                    assertEquals(m.shuffleRemoteBytesRead(), tm.path("shuffleReadMetrics").path("remoteBytesRead").asLong());
                    assertEquals(m.shuffleRecordsRead(), tm.path("shuffleReadMetrics").path("recordsRead").asLong());
                    assertEquals(m.shuffleBytesWritten(), tm.path("shuffleWriteMetrics").path("bytesWritten").asLong());
                    assertEquals(m.shuffleRecordsWritten(), tm.path("shuffleWriteMetrics").path("recordsWritten").asLong());
                    assertEquals(m.shuffleWriteNanos(), tm.path("shuffleWriteMetrics").path("writeTime").asLong());
                }
            }
            long input = taskEnds.stream().mapToLong(t -> t.metrics().inputBytesRead()).sum();
            assertTrue(input >= Files.size(dir.resolve("in.txt")), "the text input was measured: " + input);

            // Executors: the driver, with every task counted.
            JsonNode executors = json(app + "/executors");
            assertEquals(1, executors.size());
            assertEquals("driver", executors.get(0).path("id").asText());
            assertEquals(2, executors.get(0).path("totalCores").asInt());
            assertEquals(taskEnds.size(), executors.get(0).path("totalTasks").asInt());
            assertEquals(taskEnds.stream().mapToLong(t -> t.metrics().shuffleBytesWritten()).sum(),
                    executors.get(0).path("totalShuffleWrite").asLong());

            // Storage: the cached RDD, with the sizes the context reports.
            JsonNode rdds = json(app + "/storage/rdd");
            assertEquals(1, rdds.size());
            var info = kc.getRDDStorageInfo().get(0);
            JsonNode rdd = rdds.get(0);
            assertEquals(info.rddId(), rdd.path("id").asInt());
            assertEquals("lines", rdd.path("name").asText());
            assertEquals(info.cachedPartitions(), rdd.path("numCachedPartitions").asInt());
            assertEquals(info.memoryBytes(), rdd.path("memoryUsed").asLong());
            assertEquals("MEMORY_ONLY", rdd.path("storageLevel").asText());
            JsonNode partitions = json(app + "/storage/rdd/" + info.rddId()).path("partitions");
            assertEquals(info.cachedPartitions(), partitions.size());
            long sum = 0;
            for (JsonNode p : partitions) {
                sum += p.path("memoryUsed").asLong();
            }
            assertEquals(info.memoryBytes(), sum);

            // Metrics: counters are sums over every task end.
            var metrics = Http.get("http://127.0.0.1:" + ui.port() + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String label = "{app=\"" + kc.applicationId() + "\"} ";
            String text = metrics.body();
            assertTrue(text.contains("kindling_tasks_completed_total" + label
                    + taskEnds.stream().filter(SchedulerEvent.TaskEnd::succeeded).count() + "\n"), text);
            assertTrue(text.contains("kindling_shuffle_write_bytes_total" + label
                    + taskEnds.stream().mapToLong(t -> t.metrics().shuffleBytesWritten()).sum() + "\n"), text);
            assertTrue(text.contains("kindling_input_bytes_total" + label + input + "\n"), text);
            assertTrue(text.contains("kindling_memory_storage_used_bytes" + label), text);
            assertTrue(text.contains("jvm_memory_heap_used_bytes" + label), text);
            for (String line : text.split("\n")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                        || line.matches("[a-z_]+\\{app=\"[^\"]+\"(,executor=\"[^\"]+\")?} -?[0-9.]+"), "not exposition format: " + line);
            }
        }
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
