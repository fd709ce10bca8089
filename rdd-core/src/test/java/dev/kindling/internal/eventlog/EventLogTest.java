package dev.kindling.internal.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.FutureAction;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.SchedulerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event log of a real application: what a listener saw in the process is what the log replays,
 * field by field, compressed or not; secrets never reach the file; a broken disk costs the log, never
 * a job; nothing stays open after close.
 */
class EventLogTest {

    private static final long GUARD_S = 60; // hang guard only, never a timing assertion
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static volatile CountDownLatch started;

    /** Every string escape JSON has to get right, in a job description and a failure message. */
    static final String AWKWARD = "quote\" backslash\\ slash/ newline\n return\r tab\t nul\u0000 bell\u0007 del\u007f"
            + " lone high\uD800 lone low\uDC00 pair\uD83D\uDE00 e\u0301 \u00e9 \u4e2d \u2028";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "compress={0}")
    @ValueSource(booleans = {false, true})
    void whenAnApplicationRunsJobs_thenItsLogReplaysExactlyTheEventsAListenerSaw(boolean compress) throws Exception {
        Recorder seen = new Recorder();
        String appId;
        try (KindlingContext kc = context(compress).appName("event log test").build()) {
            appId = kc.applicationId();
            kc.addListener(seen);
            runJobs(kc);
        }

        Path log = dir.resolve(compress ? appId + ".gz" : appId);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(log), files.collect(Collectors.toList()), "only the finished log is left");
        }
        List<String> lines = rawLines(log, compress);
        assertTrue(lines.get(0).startsWith("{\"event\":\"ApplicationStart\",") && lines.get(0).contains("\"schemaVersion\":1"),
                lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"event\":\"ApplicationEnd\","), lines.get(lines.size() - 1));
        // The driver's executor is announced as the context starts (a listener added afterwards may miss
        // that) and stopped at close (every listener hears that).
        List<SchedulerEvent> heard = withoutExecutorAdded(seen.events);
        assertEquals(heard.size() + 1 + 2, lines.size(), "one line per event, plus the driver's start, start and end");
        assertTrue(lines.get(1).startsWith("{\"event\":\"ExecutorAdded\",") && lines.get(1).contains("\"executorId\":\"driver\"")
                && lines.get(1).contains("\"totalCores\":2"), lines.get(1));
        assertTrue(lines.get(lines.size() - 2).startsWith("{\"event\":\"ExecutorRemoved\",")
                && lines.get(lines.size() - 2).contains("\"reason\":\"stopped: the context was closed\""),
                lines.get(lines.size() - 2));
        for (String line : lines) {
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c <= 0x7f), () -> "not ASCII without control characters: " + line);
        }

        // The escapes, spelled out by hand (JSON's rules, RFC 8259 section 7), not by the library.
        String escaped = "\"description\":\"quote\\\" backslash\\\\ slash/ newline\\n return\\r tab\\t"
                + " nul\\u0000 bell\\u0007 del\u007f lone high\\uD800 lone low\\uDC00 pair\\uD83D\\uDE00"
                + " e\\u0301 \\u00E9 \\u4E2D \\u2028\"";
        assertEquals(1, lines.stream().filter(l -> l.contains(escaped)).count(), () -> escaped + " in\n" + lines);

        EventLogReader.Replay replay = EventLogReader.read(log);
        assertTrue(replay.finished());
        assertFalse(replay.truncated());
        assertEquals(0, replay.droppedEvents());
        assertEquals(describe(heard), describe(withoutExecutorAdded(replay.events())));
        assertEquals(new SchedulerEvent.ExecutorAdded(replay.events().get(0).time(), "driver", "localhost", -1, 2),
                replay.events().get(0));
        Recorder replayed = new Recorder();
        replay.replayTo(replayed);
        assertEquals(describe(replay.events()), describe(replayed.events), "replayTo calls the listener methods in order");
        assertTrue(replay.events().stream().allMatch(e -> !(e instanceof SchedulerEvent.TaskEnd t)
                || t.task().executorId().equals("driver")), "local tasks ran on the driver");
        ApplicationInfo app = replay.application();
        assertEquals(appId, app.appId());
        assertEquals("event log test", app.appName());
        assertEquals(System.getProperty("user.name"), app.user());
        assertEquals(EventJson.SCHEMA_VERSION, app.schemaVersion());
        assertTrue(app.startTime() <= replay.events().get(0).time() && replay.endTime() >= lastTime(replay.events()));
        assertEquals("true", app.configuration().get(EventLogWriter.ENABLED));

        // The application did what the log must show: a shuffle, a failure, a cancellation.
        assertTrue(seen.events.stream().anyMatch(e -> e instanceof SchedulerEvent.StageSubmitted s && s.stage().shuffleMap()));
        List<Throwable> jobFailures = seen.events.stream().filter(e -> e instanceof SchedulerEvent.JobEnd)
                .map(e -> ((SchedulerEvent.JobEnd) e).failure()).filter(f -> f != null).collect(Collectors.toList());
        assertEquals(2, jobFailures.size(), jobFailures::toString);
        assertTrue(jobFailures.stream().anyMatch(f -> f instanceof JobCancelledException), jobFailures::toString);
        assertTrue(seen.events.stream().anyMatch(e -> e instanceof SchedulerEvent.JobStart s && AWKWARD.equals(s.description())));
        // The graph of the shuffle job: its result stage reads the map stage, whose cached, named RDD is listed.
        SchedulerEvent.JobStart shuffleJob = seen.events.stream().filter(e -> e instanceof SchedulerEvent.JobStart s
                && s.stageInfos().size() == 2).map(e -> (SchedulerEvent.JobStart) e).findFirst().orElseThrow();
        SchedulerEvent.StageInfo map = shuffleJob.stageInfos().get(0);
        assertEquals(List.of(map.stageId()), shuffleJob.stageInfos().get(1).parentIds());
        assertTrue(map.rdds().stream().anyMatch(r -> AWKWARD.equals(r.name()) && r.cached()
                && r.storageLevel().equals("MEMORY_ONLY") && r.numPartitions() == 4), map::toString);
        assertTrue(describe(jobFailures).toString().contains(AWKWARD.replace("\\", "\\\\").substring(0, 5)));

        assertNoThreadOrOpenFile(appId);
    }

    @Test
    void whenTheLogIsCutMidLine_thenTheCompleteLinesReplayAndTheApplicationIsNotFinished() throws Exception {
        String appId;
        try (KindlingContext kc = context(false).build()) {
            appId = kc.applicationId();
            runJobs(kc);
        }
        Path finished = dir.resolve(appId);
        EventLogReader.Replay whole = EventLogReader.read(finished);
        byte[] bytes = Files.readAllBytes(finished);
        List<String> lines = rawLines(finished, false);
        // Keep the start line and the first k event lines, then half of event line k+1.
        int k = lines.size() / 2;
        int keep = 0;
        for (int i = 0; i <= k; i++) {
            keep += lines.get(i).length() + 1;
        }
        int cut = keep + lines.get(k + 1).length() / 2;
        Path crashed = dir.resolve("crashed" + EventLogWriter.IN_PROGRESS);
        Files.write(crashed, java.util.Arrays.copyOf(bytes, cut));

        EventLogReader.Replay replay = EventLogReader.read(crashed);
        assertFalse(replay.finished());
        assertTrue(replay.truncated());
        assertEquals(-1, replay.endTime());
        assertEquals(describe(whole.events().subList(0, k)), describe(replay.events()));

        // Cut exactly after a line break: complete, not truncated, still not finished.
        Files.write(crashed, java.util.Arrays.copyOf(bytes, keep));
        EventLogReader.Replay atLineBreak = EventLogReader.read(crashed);
        assertFalse(atLineBreak.finished());
        assertFalse(atLineBreak.truncated());
        assertEquals(k, atLineBreak.events().size());

        // A damaged line that is not the last is an error naming the file and the line.
        List<String> damaged = new ArrayList<>(lines);
        damaged.set(3, damaged.get(3).substring(0, 10));
        Files.write(crashed, damaged, StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> EventLogReader.read(crashed));
        assertTrue(e.getMessage().contains(crashed + ", line 4 is not a JSON object"), e.getMessage());
    }

    @Test
    void whenACompressedLogIsCutShort_thenWhatDecompressesReplaysAndTheApplicationIsNotFinished() throws Exception {
        String appId;
        try (KindlingContext kc = context(true).build()) {
            appId = kc.applicationId();
            runJobs(kc);
        }
        Path finished = dir.resolve(appId + EventLogWriter.GZ);
        EventLogReader.Replay whole = EventLogReader.read(finished);
        byte[] bytes = Files.readAllBytes(finished);
        Path cut = dir.resolve("cut" + EventLogWriter.GZ);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));

        EventLogReader.Replay replay = EventLogReader.read(cut);
        assertFalse(replay.finished());
        assertTrue(replay.truncated());
        assertTrue(replay.events().size() < whole.events().size(), "some events were cut off");
        assertTrue(replay.events().size() > whole.events().size() / 3, "what was decoded is kept: " + replay.events().size());
        assertEquals(describe(whole.events().subList(0, replay.events().size())), describe(replay.events()));
    }

    @Test
    void whenTheConfigurationHoldsSecrets_thenTheLogHasOnlyRedactedValues() throws Exception {
        String appId;
        try (KindlingContext kc = context(false).config("auth.secret", "hunter2-secret")
                .config("db.Password", "hunter2-password").config("api.TOKEN.value", "hunter2-token")
                .config("kindling.app.name", "visible-name").build()) {
            appId = kc.applicationId();
            assertEquals(3L, kc.parallelize(List.of(1, 2, 3), 2).count());
        }
        Path log = dir.resolve(appId);
        assertFalse(Files.readString(log).contains("hunter2"), "a secret reached the file");
        Map<String, String> conf = EventLogReader.read(log).application().configuration();
        assertEquals(ApplicationInfo.REDACTED, conf.get("auth.secret"));
        assertEquals(ApplicationInfo.REDACTED, conf.get("db.Password"));
        assertEquals(ApplicationInfo.REDACTED, conf.get("api.TOKEN.value"));
        assertEquals("visible-name", conf.get("kindling.app.name"));
        assertEquals(dir.toString(), conf.get(EventLogWriter.DIR));
    }

    @Test
    void whenTheLogDirectoryCannotBeCreated_thenJobsSucceedAndOneWarningSaysWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        Path logDir = notADirectory.resolve("events");
        String log = capturingStderr(() -> {
            try (KindlingContext kc = Kindling.builder().master("local[2]").config(EventLogWriter.ENABLED, "true")
                    .config(EventLogWriter.DIR, logDir.toString()).build()) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(4950L, kc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
                            .mapToPair(x -> Pair.of(x % 3, (long) x)).reduceByKey(Long::sum).values().reduce(Long::sum));
                }
            }
        });
        assertEquals(1, count(log, "Event log disabled"), log);
        assertTrue(log.contains(logDir.resolve("").toString()) && log.contains(EventLogWriter.DIR), log);
    }

    @Test
    void whenTheDiskFillsUpWhileJobsRun_thenTheLogIsDisabledWithOneWarningAndJobsSucceed() throws Exception {
        try (var disk = dev.kindling.testing.TmpfsMount.mount("256k")) {
            Path logDir = Files.createDirectory(disk.dir().resolve("events"));
            Path filler = disk.dir().resolve("filler");
            fill(filler);
            // Leave one page free: the start line fits, the tasks' events do not.
            try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - 4096);
            }
            String[] appId = new String[1];
            String log = capturingStderr(() -> {
                try (KindlingContext kc = Kindling.builder().master("local[2]").config(EventLogWriter.ENABLED, "true")
                        .config(EventLogWriter.DIR, logDir.toString()).config(EventLogWriter.COMPRESS, "true").build()) {
                    appId[0] = kc.applicationId();
                    for (int i = 0; i < 5; i++) {
                        List<Integer> data = IntStream.range(0, 1000).boxed().toList();
                        assertEquals(data.stream().mapToLong(x -> x).sum(),
                                kc.parallelize(data, 50).map(x -> (long) x).reduce(Long::sum));
                    }
                }
            });
            assertEquals(1, count(log, "Event log disabled"), log);
            assertTrue(log.contains("No space left on device"), log);
            // What reached the disk is still a readable, unfinished log; nothing was renamed over it.
            Path partial = logDir.resolve(appId[0] + EventLogWriter.IN_PROGRESS);
            try (Stream<Path> files = Files.list(logDir)) {
                assertEquals(List.of(partial), files.collect(Collectors.toList()));
            }
            EventLogReader.Replay replay = EventLogReader.read(partial);
            assertFalse(replay.finished());
            assertEquals(appId[0], replay.application().appId());
            assertNoThreadOrOpenFile(appId[0]);
        } // unmounting fails if the log file were still open
    }

    @Test
    void whenTheQueueOverflows_thenEventsAreDroppedCountedAndWarnedOnceAndTheRestKeepTheirOrder() throws Exception {
        Recorder seen = new Recorder();
        String[] appId = new String[1];
        String log = capturingStderr(() -> {
            try (KindlingContext kc = context(false).config(EventLogWriter.QUEUE_CAPACITY, "1").build()) {
                appId[0] = kc.applicationId();
                kc.addListener(seen);
                List<Integer> data = IntStream.range(0, 2000).boxed().toList();
                assertEquals(2000L, kc.parallelize(data, 1000).count());
            }
        });
        EventLogReader.Replay replay = EventLogReader.read(dir.resolve(appId[0]));
        assertTrue(replay.finished());
        // A listener added after the context started may miss the driver's ExecutorAdded, which the log has.
        boolean sawDriverAdded = seen.events.stream().anyMatch(e -> e instanceof SchedulerEvent.ExecutorAdded);
        assertEquals(seen.events.size() + (sawDriverAdded ? 0 : 1), replay.events().size() + replay.droppedEvents(),
                "written + dropped = all");
        assertEquals(replay.droppedEvents() > 0 ? 1 : 0, count(log, "dropping events rather than slowing jobs"), log);
        // What was written is the in-process sequence with the dropped events left out, in order.
        List<List<Object>> all = describe(seen.events);
        int next = 0;
        for (List<Object> event : describe(sawDriverAdded ? replay.events() : withoutExecutorAdded(replay.events()))) {
            next = all.subList(next, all.size()).indexOf(event) + next;
            assertTrue(next >= 0 && all.get(next).equals(event), () -> "out of order or unknown: " + event);
            next++;
        }
    }

    @Test
    void whenASettingIsMalformed_thenBuildingTheContextFailsNamingTheKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> context(false).config(EventLogWriter.QUEUE_CAPACITY, "0").build().close());
        assertTrue(e.getMessage().contains("kindling.eventLog.queueCapacity must be at least 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> context(false).config(EventLogWriter.COMPRESS, "yes").build().close());
        assertTrue(e.getMessage().contains("kindling.eventLog.compress must be true or false (got \"yes\")"), e.getMessage());
    }

    @Test
    void whenTheLogIsDisabled_thenNoFileIsWritten() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[1]").config(EventLogWriter.DIR, dir.toString()).build()) {
            assertEquals(2L, kc.parallelize(List.of(1, 2), 1).count());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    // ---- the application ----

    private Kindling.Builder context(boolean compress) {
        return Kindling.builder().master("local[2]").config(EventLogWriter.ENABLED, "true")
                .config(EventLogWriter.DIR, dir.toString()).config(EventLogWriter.COMPRESS, Boolean.toString(compress));
    }

    /** A job, a shuffle job, a failing job with an awkward message and description, a cancelled job. */
    @Test
    void whenALogWasWrittenBeforeStageGraphsAndAllMetrics_thenItReadsWithEmptyGraphsAndZeroMetrics() throws Exception {
        // Lines as the first release of schema 1 wrote them: no stageInfos, parentIds, rddInfos or newer metrics.
        Path log = dir.resolve("local-1-0");
        Files.writeString(log, String.join("\n",
                "{\"event\":\"ApplicationStart\",\"time\":1,\"schemaVersion\":1,\"appId\":\"local-1-0\","
                        + "\"appName\":\"old\",\"user\":\"u\",\"kindlingVersion\":\"0.0.9\",\"configuration\":{}}",
                "{\"event\":\"JobStart\",\"time\":2,\"jobId\":0,\"description\":\"d\",\"jobGroup\":null,\"stageIds\":[0]}",
                "{\"event\":\"StageSubmitted\",\"time\":3,\"stage\":{\"stageId\":0,\"attemptId\":0,\"name\":\"s\","
                        + "\"numTasks\":1,\"shuffleMap\":false}}",
                "{\"event\":\"TaskEnd\",\"time\":4,\"stageId\":0,\"stageAttemptId\":0,\"task\":{\"taskId\":0,"
                        + "\"partitionId\":0,\"attempt\":0,\"executorThread\":\"t\"},\"status\":null,\"metrics\":{"
                        + "\"recordsRead\":5,\"recordsWritten\":5,\"shuffleRecordsWritten\":0,\"shuffleBytesWritten\":0,"
                        + "\"shuffleRecordsRead\":2,\"shuffleBytesRead\":64,\"runNanos\":1000},\"failure\":null}",
                "{\"event\":\"ApplicationEnd\",\"time\":5,\"droppedEvents\":0}", ""));
        EventLogReader.Replay replay = EventLogReader.read(log);
        SchedulerEvent.JobStart start = (SchedulerEvent.JobStart) replay.events().get(0);
        assertEquals(List.of(0), start.stageIds());
        assertEquals(List.of(), start.stageInfos());
        SchedulerEvent.StageInfo stage = ((SchedulerEvent.StageSubmitted) replay.events().get(1)).stage();
        assertEquals(new SchedulerEvent.StageInfo(0, 0, "s", 1, false), stage);
        var m = ((SchedulerEvent.TaskEnd) replay.events().get(2)).metrics();
        assertEquals(5, m.recordsRead());
        assertEquals(64, m.shuffleBytesRead());
        assertEquals(64, m.shuffleLocalBytesRead());
        assertEquals(0, m.cpuNanos());
        assertEquals(0, m.peakExecutionMemory());
        assertEquals(1000, m.runNanos());
        assertEquals("driver", ((SchedulerEvent.TaskEnd) replay.events().get(2)).task().executorId(),
                "a task of a log without executor ids ran on the driver");
    }

    /** A stored and a removed block (with unknown sizes) are written as lines that read back equal. */
    @Test
    void whenBlockUpdatesAreWritten_thenTheyReadBackEqual() throws Exception {
        List<SchedulerEvent> events = List.of(
                new SchedulerEvent.BlockUpdated(7, "1", 3, 2, "MEMORY_ONLY", -1, -1),
                new SchedulerEvent.BlockUpdated(8, "0", 3, 1, null, 100, 0));
        for (SchedulerEvent e : events) {
            java.io.StringWriter line = new java.io.StringWriter();
            try (var g = EventJson.generator(line)) {
                EventJson.write(g, e);
            }
            assertEquals(e, EventJson.fromJson(EventJson.parse(line.toString())), line.toString());
        }
        assertTrue(((SchedulerEvent.BlockUpdated) events.get(1)).removed());
    }

    private static List<SchedulerEvent> withoutExecutorAdded(List<SchedulerEvent> events) {
        synchronized (events) {
            return events.stream().filter(e -> !(e instanceof SchedulerEvent.ExecutorAdded)).collect(Collectors.toList());
        }
    }

    static void runJobs(KindlingContext kc) throws Exception {
        List<Integer> data = IntStream.range(0, 200).boxed().collect(Collectors.toList());
        assertEquals(200L, kc.parallelize(data, 3).count());

        Map<Integer, Long> sums = new TreeMap<>(kc.parallelize(data, 4).setName(AWKWARD).cache().mapToPair(x -> Pair.of(x % 5, (long) x))
                .reduceByKey(Long::sum, 2).collectAsMap());
        assertEquals(data.stream().collect(Collectors.groupingBy(x -> x % 5, TreeMap::new, Collectors.summingLong(x -> x))),
                sums);

        kc.setLocalProperty(KindlingContext.JOB_DESCRIPTION, AWKWARD);
        assertThrows(RuntimeException.class, () -> kc.parallelize(data, 2).map(x -> {
            if (x == 150) {
                throw new IllegalStateException("bad record " + AWKWARD);
            }
            return x;
        }).count());
        kc.setLocalProperty(KindlingContext.JOB_DESCRIPTION, null);

        started = new CountDownLatch(1);
        FutureAction<Long> blocked = kc.parallelize(List.of(1, 2), 2).map(x -> {
            started.countDown();
            NEVER.await();
            return x;
        }).countAsync();
        assertTrue(started.await(GUARD_S, TimeUnit.SECONDS));
        assertTrue(blocked.cancel(true));
        assertThrows(CancellationException.class, () -> blocked.get(GUARD_S, TimeUnit.SECONDS));
    }

    // ---- comparing events field by field ----

    /** Each event as the list of its fields, failures and metrics spelled out (they have no equals). */
    static List<List<Object>> describe(List<?> events) {
        List<List<Object>> out = new ArrayList<>();
        for (Object event : events) {
            out.add(describeOne(event));
        }
        return out;
    }

    private static List<Object> describeOne(Object o) {
        if (o instanceof SchedulerEvent.JobStart e) {
            return List.of("JobStart", e.time(), e.jobId(), String.valueOf(e.description()), String.valueOf(e.jobGroup()),
                    e.stageIds(), e.stageInfos());
        } else if (o instanceof SchedulerEvent.JobEnd e) {
            return List.of("JobEnd", e.time(), e.jobId(), e.succeeded(), describeOne(e.failure()));
        } else if (o instanceof SchedulerEvent.StageSubmitted e) {
            return List.of("StageSubmitted", e.time(), e.stage());
        } else if (o instanceof SchedulerEvent.StageCompleted e) {
            return List.of("StageCompleted", e.time(), e.stage(), String.valueOf(e.failureReason()));
        } else if (o instanceof SchedulerEvent.TaskStart e) {
            return List.of("TaskStart", e.time(), e.stageId(), e.stageAttempt(), e.task());
        } else if (o instanceof SchedulerEvent.TaskEnd e) {
            var m = e.metrics();
            List<Object> metrics = m == null ? List.of() : List.of(m.recordsRead(), m.recordsWritten(),
                    m.shuffleRecordsWritten(), m.shuffleBytesWritten(), m.shuffleRecordsRead(), m.shuffleBytesRead(),
                    m.runNanos(), m.toString()); // toString lists every metric that is not 0
            return List.of("TaskEnd", e.time(), e.stageId(), e.stageAttempt(), e.task(), metrics,
                    String.valueOf(e.status()), describeOne(e.failure()));
        } else if (o instanceof Throwable t) {
            List<Object> frames = new ArrayList<>();
            for (StackTraceElement f : t.getStackTrace()) {
                frames.add(f.getClassName() + "#" + f.getMethodName() + "#" + f.getFileName() + "#" + f.getLineNumber());
            }
            String className = t instanceof LoggedException l ? l.className() : t.getClass().getName();
            return List.of(className, String.valueOf(t.getMessage()), frames, describeOne(t.getCause()));
        } else if (o instanceof SchedulerEvent.ExecutorAdded || o instanceof SchedulerEvent.ExecutorRemoved) {
            return List.of(o); // records of strings and numbers: equal when every field is
        } else if (o == null) {
            return List.of();
        }
        throw new AssertionError("unexpected " + o);
    }

    // ---- helpers ----

    static List<String> rawLines(Path log, boolean gzip) throws IOException {
        try (InputStream in = gzip ? new GZIPInputStream(Files.newInputStream(log)) : Files.newInputStream(log)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"), "a finished log ends with a line break");
            return List.of(text.substring(0, text.length() - 1).split("\n", -1));
        }
    }

    private static long lastTime(List<SchedulerEvent> events) {
        return events.stream().mapToLong(SchedulerEvent::time).max().orElse(0);
    }

    static void assertNoThreadOrOpenFile(String appId) throws IOException {
        List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.equals("kindling-event-log-" + appId)).collect(Collectors.toList());
        assertEquals(List.of(), threads, "the writer thread is stopped");
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.collect(Collectors.toList())) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains(appId)) {
                        open.add(target);
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        assertEquals(List.of(), open, "no file of the log is open");
    }

    interface Body {
        void run() throws Exception;
    }

    static String capturingStderr(Body body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    /** Records the events a listener in the application's process sees. */
    static final class Recorder implements dev.kindling.scheduler.SchedulerListener {
        final List<SchedulerEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override public void onJobStart(SchedulerEvent.JobStart e) { events.add(e); }
        @Override public void onJobEnd(SchedulerEvent.JobEnd e) { events.add(e); }
        @Override public void onStageSubmitted(SchedulerEvent.StageSubmitted e) { events.add(e); }
        @Override public void onStageCompleted(SchedulerEvent.StageCompleted e) { events.add(e); }
        @Override public void onTaskStart(SchedulerEvent.TaskStart e) { events.add(e); }
        @Override public void onTaskEnd(SchedulerEvent.TaskEnd e) { events.add(e); }
        @Override public void onExecutorAdded(SchedulerEvent.ExecutorAdded e) { events.add(e); }
        @Override public void onExecutorRemoved(SchedulerEvent.ExecutorRemoved e) { events.add(e); }
        @Override public void onBlockUpdated(SchedulerEvent.BlockUpdated e) { events.add(e); }
    }
}
