package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor loss on {@code local-cluster[2,1,512]}, as Spark has it: an executor killed with
 * {@code kill -9} after two map stages committed costs exactly its own map outputs of both shuffles
 * (each re-run once, counted by a listener and by files the map tasks write), and a task whose
 * executor dies under it runs again without counting toward {@code kindling.task.maxFailures}, so a job
 * with one allowed failure still succeeds. Results against java.util.stream.
 */
class ExecutorLossTest {

    private static final String CLUSTER = "local-cluster[2,1,512]";
    private static final String EXECUTOR_MAIN = "dev.kindling.internal.cluster.ExecutorProcess";
    private static final List<Integer> INTS = IntStream.range(0, 4_000).boxed().toList();

    @TempDir
    Path tmp;

    /** Successful shuffle-map tasks after {@link #reset}, over every map stage and stage attempt. */
    private static final class MapTasks implements SchedulerListener {
        private final Set<Integer> mapStages = ConcurrentHashMap.newKeySet();
        private final AtomicInteger succeeded = new AtomicInteger();

        @Override
        public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
            if (event.stage().shuffleMap()) {
                mapStages.add(event.stage().stageId());
            }
        }

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            if (mapStages.contains(event.stageId()) && event.succeeded()) {
                succeeded.incrementAndGet();
            }
        }

        void reset() {
            succeeded.set(0);
        }

        int succeeded() {
            return succeeded.get();
        }
    }

    @Test
    void anExecutorKilledAfterTwoMapStagesCommittedCostsExactlyItsOutputsOfBothShuffles() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        MapTasks mapTasks = new MapTasks();
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).build()) {
            kc.addListener(mapTasks);
            PairRDD<Integer, Long> counts = counts(kc, dir, 2);
            PairRDD<Integer, Long> sums = sums(kc, dir, 2);
            assertEquals(10L, counts.count(), "commits shuffle a");
            assertEquals(7L, sums.count(), "commits shuffle b");
            long victim = pids(runs, "a-0").get(0);
            Set<String> lost = outputsRanOn(runs, victim);
            assertTrue(lost.size() < 8, "the other executor holds outputs too: " + lost);
            mapTasks.reset();
            kill(victim);

            // Co-partitioned (both hash in 2): the join's tasks read both shuffles' outputs directly.
            assertEquals(expectedJoin(), joined(counts, sums));
            assertEquals(lost.size(), mapTasks.succeeded(), "map tasks run again: exactly the lost outputs " + lost);
            assertRanAgainElsewhere(runs, lost, victim, "re-run on the survivor");
        }
    }

    @Test
    void aTaskWhoseExecutorDiesUnderItRunsAgainWithoutCountingAsAFailure() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        String go = tmp.resolve("go").toString();
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).config("kindling.task.maxFailures", "1").build()) {
            RDD<Integer> doubled = kc.parallelize(INTS, 2).mapPartitionsWithIndex((i, it) -> {
                recordRun(dir, "p-" + i);
                if (i == 1) {
                    awaitFile(Path.of(go)); // the test kills this task's executor while it waits
                }
                return it;
            }, false).map(x -> x * 2);
            Future<List<Integer>> result = doubled.collectAsync();
            long victim = awaitRun(runs, "p-1");
            kill(victim);
            Files.writeString(Path.of(go), "go");

            assertEquals(INTS.stream().map(x -> x * 2).toList(), result.get(240, TimeUnit.SECONDS),
                    "kindling.task.maxFailures=1, and the job still succeeds");
            List<Long> ran = pids(runs, "p-1");
            assertEquals(2, ran.size(), "partition 1 ran twice: " + ran);
            assertTrue(ran.get(1) != victim, "the second time on the survivor");
        }
    }

    /**
     * Task ends and removed executors, as the driver's listener bus reports them (for the failed fetch,
     * the executors that ran tasks, and that none was removed).
     */
    private static final class TaskEnds implements SchedulerListener {
        private final List<SchedulerEvent.TaskEnd> ends = new CopyOnWriteArrayList<>();
        private final Set<String> removed = ConcurrentHashMap.newKeySet();

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            ends.add(event);
        }

        @Override
        public void onExecutorRemoved(SchedulerEvent.ExecutorRemoved event) {
            removed.add(event.executorId());
        }
    }

    /**
     * Issue 12: executor X stays alive but its shuffle files are gone. A reduce task on the other
     * executor fails to fetch from X, so the driver forgets every map output X holds, of both shuffles
     * (its shuffle server is taken to be gone), and pings X, which answers and stays. Exactly X's map
     * outputs run again, once each, and the join's result is exact.
     */
    @Test
    void anAliveExecutorWhoseShuffleFilesAreGoneCostsExactlyItsOutputsAfterARemoteFetchFails() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        String go = tmp.resolve("go").toString();
        MapTasks mapTasks = new MapTasks();
        TaskEnds taskEnds = new TaskEnds();
        // forceDisk: every map output is one file on disk, which the test can delete. Reduce locality off:
        // with it, the reduce tasks would wait kindling.locality.wait for X (it holds their input) while X
        // is busy with the blocker below; every reduce task must run on the other executor at once.
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).config("kindling.shuffle.forceDisk", "true")
                .config("kindling.shuffle.reduceLocality.enabled", "false").build()) {
            kc.addListener(mapTasks);
            kc.addListener(taskEnds);
            PairRDD<Integer, Long> counts = counts(kc, dir, 3);
            PairRDD<Integer, Long> sums = sums(kc, dir, 3);
            assertEquals(10L, counts.count(), "commits shuffle a");
            assertEquals(7L, sums.count(), "commits shuffle b");

            // X is the executor that runs this one-task job; it keeps X's only core busy until the test
            // writes `go`, so every reduce task of the join runs on the other executor and fetches X's
            // outputs remotely. (A reduce task on X would read its own missing file first: a local miss,
            // which forgets only that one output, and which of the two failures the driver saw first
            // would be a race.)
            Future<List<Integer>> blocker = kc.parallelize(List.of(0), 1).mapPartitionsWithIndex((i, it) -> {
                Files.writeString(Path.of(dir, "blocker-dir"), Path.of("").toAbsolutePath().toString());
                recordRun(dir, "blocker");
                awaitFile(Path.of(go));
                return it;
            }, false).collectAsync();
            long victim = awaitRun(runs, "blocker");
            Path scratch = Path.of(Files.readString(runs.resolve("blocker-dir")).strip());
            assertEquals(kc.localDir().toRealPath(), scratch.getParent().toRealPath(), "X's scratch directory " + scratch);
            String x = scratch.getFileName().toString().replaceFirst("^executor-", "");
            Set<String> lost = outputsRanOn(runs, victim);
            assertTrue(!lost.isEmpty() && lost.size() < 8, "both executors hold map outputs: X has " + lost);
            List<Path> files;
            try (Stream<Path> list = Files.list(scratch.resolve("shuffle"))) {
                files = list.filter(f -> f.getFileName().toString().startsWith("shuffle_")).toList();
            }
            assertEquals(lost.size(), files.size(), "one file per map output of X: " + files);
            for (Path f : files) {
                Files.delete(f);
            }
            mapTasks.reset();
            taskEnds.ends.clear();

            assertEquals(expectedJoin(), joined(counts, sums));

            List<SchedulerEvent.TaskEnd> remoteFailures = taskEnds.ends.stream().filter(e -> {
                FetchFailedException f = Failures.find(e.failure(), FetchFailedException.class);
                return f != null && x.equals(f.executorId()) && !x.equals(e.task().executorId());
            }).toList();
            assertFalse(remoteFailures.isEmpty(), "a reduce task on the other executor failed to fetch from X ("
                    + x + "): " + taskEnds.ends);
            assertEquals(lost.size(), mapTasks.succeeded(), "map tasks run again: exactly X's outputs " + lost);
            assertRanAgainElsewhere(runs, lost, victim, "re-run on the other executor (X is busy)");

            // X answered the driver's ping: it was not removed, and it finishes its task.
            Files.writeString(Path.of(go), "go");
            assertEquals(List.of(0), blocker.get(240, TimeUnit.SECONDS));
            assertTrue(ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false), "X's process is alive");
            assertFalse(taskEnds.removed.contains(x), "X is still registered; removed: " + taskEnds.removed);
            assertTrue(taskEnds.ends.stream().anyMatch(e -> x.equals(e.task().executorId()) && e.failure() == null),
                    "X's task succeeded after the failed fetch");
        }
    }

    /** Shuffle "a": counts of x % 10 over {@code reduces} partitions; its 4 map tasks record their runs. */
    private static PairRDD<Integer, Long> counts(KindlingContext kc, String dir, int reduces) {
        return kc.parallelize(INTS, 4).mapPartitionsWithIndex((i, it) -> {
            recordRun(dir, "a-" + i);
            return it;
        }, false).mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum, reduces);
    }

    /** Shuffle "b": sums by x % 7 over {@code reduces} partitions; its 4 map tasks record their runs. */
    private static PairRDD<Integer, Long> sums(KindlingContext kc, String dir, int reduces) {
        return kc.parallelize(INTS, 4).mapPartitionsWithIndex((i, it) -> {
            recordRun(dir, "b-" + i);
            return it;
        }, false).mapToPair(x -> Pair.of(x % 7, (long) x)).reduceByKey(Long::sum, reduces);
    }

    /** The join of {@link #counts} and {@link #sums} as "count/sum" by key. */
    private static Map<Integer, String> joined(PairRDD<Integer, Long> counts, PairRDD<Integer, Long> sums) {
        Map<Integer, String> joined = new TreeMap<>();
        for (Pair<Integer, Pair<Long, Long>> p : counts.join(sums).collect()) {
            joined.put(p.key(), p.value().key() + "/" + p.value().value());
        }
        return joined;
    }

    /** {@link #joined}'s answer computed with java.util.stream. */
    private static Map<Integer, String> expectedJoin() {
        Map<Integer, Long> count = INTS.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting()));
        Map<Integer, Long> sum = INTS.stream().collect(Collectors.groupingBy(x -> x % 7,
                Collectors.summingLong(x -> (long) x)));
        Map<Integer, String> expected = new TreeMap<>();
        sum.keySet().forEach(k -> expected.put(k, count.get(k) + "/" + sum.get(k)));
        return expected;
    }

    /** The map outputs ("a-0" .. "b-3") whose only run so far was in process {@code pid}. */
    private static Set<String> outputsRanOn(Path runs, long pid) throws IOException {
        Set<String> on = new TreeSet<>();
        for (String shuffle : List.of("a-", "b-")) {
            for (int p = 0; p < 4; p++) {
                assertEquals(1, pids(runs, shuffle + p).size(), shuffle + p + " ran once");
                if (pids(runs, shuffle + p).get(0) == pid) {
                    on.add(shuffle + p);
                }
            }
        }
        return on;
    }

    /** The outputs in {@code lost} ran a second time, not in {@code victim}; the others ran once. */
    private static void assertRanAgainElsewhere(Path runs, Set<String> lost, long victim, String where)
            throws IOException {
        for (String shuffle : List.of("a-", "b-")) {
            for (int p = 0; p < 4; p++) {
                List<Long> ran = pids(runs, shuffle + p);
                assertEquals(lost.contains(shuffle + p) ? 2 : 1, ran.size(), "runs of " + shuffle + p + " " + ran);
                assertFalse(ran.size() == 2 && ran.get(1) == victim, where);
            }
        }
    }

    private static void kill(long pid) throws Exception {
        ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
        assertTrue(victim.info().commandLine().orElse("").contains(EXECUTOR_MAIN), "pid " + pid + " is an executor");
        victim.destroyForcibly(); // SIGKILL
        victim.onExit().get(60, TimeUnit.SECONDS);
    }

    /** Records that {@code name} runs in this process: a file {@code run-<name>-<nanos>} holding the pid. */
    private static void recordRun(String dir, String name) throws IOException {
        Path tmpFile = Path.of(dir, ".tmp-" + name + "-" + System.nanoTime());
        Files.writeString(tmpFile, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmpFile, Path.of(dir, "run-" + name + "-" + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(file + " did not appear within 240 s");
            }
            Thread.sleep(20);
        }
    }

    private static long awaitRun(Path runs, String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (pids(runs, name).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " did not start within 240 s");
            }
            Thread.sleep(20);
        }
        return pids(runs, name).get(0);
    }

    /** The pids of the runs of {@code name} so far, in the order they started. */
    private static List<Long> pids(Path runs, String name) throws IOException {
        try (Stream<Path> files = Files.list(runs)) {
            List<Path> mine = files.filter(f -> f.getFileName().toString().startsWith("run-" + name + "-"))
                    .sorted((x, y) -> Long.compare(nanos(x), nanos(y))).toList();
            List<Long> out = new ArrayList<>();
            for (Path f : mine) {
                out.add(Long.parseLong(Files.readString(f).strip()));
            }
            return out;
        }
    }

    private static long nanos(Path run) {
        String n = run.getFileName().toString();
        return Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
    }
}
