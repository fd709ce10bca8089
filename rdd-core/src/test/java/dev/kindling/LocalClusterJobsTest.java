package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jobs on {@code local-cluster[2,1,512]}: executor processes started by the context, tasks and results
 * crossing process boundaries as bytes, shuffles fetched between executors. One slice of the operator
 * suite runs on {@code local[2]} and on the cluster from the same source, each compared with a
 * java.util.stream reference; a killed executor costs only its own map outputs; no executor process
 * outlives {@link KindlingContext#close()}.
 */
class LocalClusterJobsTest {

    private static final String CLUSTER = "local-cluster[2,1,512]";
    private static final String EXECUTOR_MAIN = "dev.kindling.internal.cluster.ExecutorProcess";

    @TempDir
    Path tmp;

    private static List<Integer> input() {
        Random random = new Random(42);
        return IntStream.range(0, 2_000).map(i -> random.nextInt(100)).boxed().toList();
    }

    /** The slice of the operator suite, written once, run on any master. */
    private static Map<String, Object> slice(KindlingContext kc, Path dir) throws IOException {
        List<Integer> ints = input();
        RDD<Integer> rdd = kc.parallelize(ints, 4);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("map", rdd.map(x -> x * 3).collect());
        r.put("filter", rdd.filter(x -> x % 3 == 0).collect());
        r.put("flatMap", rdd.flatMap(x -> List.of(x, x + 1000).iterator()).collect());
        r.put("count", rdd.count());
        r.put("reduceByKey", new TreeMap<>(rdd.mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum).collectAsMap()));
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (Pair<Integer, Iterable<Integer>> p : rdd.mapToPair(x -> Pair.of(x % 10, x)).groupByKey(3).collect()) {
            List<Integer> values = new ArrayList<>();
            p.value().forEach(values::add);
            values.sort(null);
            groups.put(p.key(), values);
        }
        r.put("groupByKey", groups);
        PairRDD<Integer, String> names = kc.parallelize(List.of(0, 1, 2, 3, 4), 2).mapToPair(k -> Pair.of(k, "v" + k));
        r.put("join", rdd.mapToPair(x -> Pair.of(x % 10, x)).join(names, 3).collect().stream()
                .map(p -> p.key() + ":" + p.value().key() + ":" + p.value().value()).sorted().toList());
        r.put("sortByKey", rdd.mapToPair(x -> Pair.of(x, x * 2)).sortByKey().collect().stream().map(Pair::key).toList());
        LongAccumulator sum = kc.longAccumulator("sum");
        rdd.foreach(sum::add);
        r.put("accumulator", sum.value());
        LongAccumulator evaluations = kc.longAccumulator("evaluations");
        RDD<Integer> cached = rdd.map(x -> {
            evaluations.add(1);
            return x + 1;
        }).cache();
        long first = cached.count();
        long evaluatedOnce = evaluations.value();
        long second = cached.filter(x -> x > 50).count();
        r.put("cache", List.of(first, second, evaluatedOnce));
        // A reused partition is not evaluated again. On local-cluster a partition is cached on the executor
        // that computed it and the scheduler prefers that executor for kindling.locality.wait (3 s by
        // default); on a loaded machine a task may give up waiting and recompute it elsewhere, so the total
        // may exceed n here (LocalClusterLocalityTest pins it with a long wait).
        r.put("evaluationsAfterReuse", evaluations.value());
        Path in = dir.resolve("in.txt");
        Files.write(in, ints.stream().map(i -> "line " + i).toList());
        r.put("text", kc.textFile(in.toString(), 3).map(String::toUpperCase).collect().stream().sorted().toList());
        // Output commits are the driver's coordinator's decisions, asked over RPC from executor processes.
        Path out = dir.resolve("out");
        rdd.map(x -> "n " + x).saveAsTextFile(out.toString());
        r.put("saveAsTextFile", kc.textFile(out.toString()).collect().stream().sorted().toList());
        r.put("saveCommitted", Files.exists(out.resolve("_SUCCESS")) && !Files.exists(out.resolve("_temporary")));
        // Broadcast values are fetched by id from the driver and cached per executor.
        Broadcast<Integer> offset = kc.broadcast(7);
        r.put("broadcast", rdd.map(x -> x + offset.value()).collect());
        return r;
    }

    /** The slice's answers, computed with java.util.stream. */
    private static Map<String, Object> reference() {
        List<Integer> ints = input();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("map", ints.stream().map(x -> x * 3).toList());
        r.put("filter", ints.stream().filter(x -> x % 3 == 0).toList());
        r.put("flatMap", ints.stream().flatMap(x -> Stream.of(x, x + 1000)).toList());
        r.put("count", (long) ints.size());
        r.put("reduceByKey", new TreeMap<>(ints.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting()))));
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        ints.forEach(x -> groups.computeIfAbsent(x % 10, k -> new ArrayList<>()).add(x));
        groups.values().forEach(l -> l.sort(null));
        r.put("groupByKey", groups);
        r.put("join", ints.stream().filter(x -> x % 10 < 5).map(x -> (x % 10) + ":" + x + ":v" + (x % 10)).sorted().toList());
        r.put("sortByKey", ints.stream().sorted().toList());
        r.put("accumulator", ints.stream().mapToLong(Integer::longValue).sum());
        r.put("cache", List.of((long) ints.size(), ints.stream().filter(x -> x + 1 > 50).count(), (long) ints.size()));
        r.put("text", ints.stream().map(i -> "LINE " + i).sorted().toList());
        r.put("saveAsTextFile", ints.stream().map(i -> "n " + i).sorted().toList());
        r.put("saveCommitted", true);
        r.put("broadcast", ints.stream().map(x -> x + 7).toList());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local[2]", CLUSTER})
    void theOperatorSliceGivesTheStreamAnswersOnEveryMaster(String master) throws IOException {
        Map<String, Object> expected = reference();
        Map<String, Object> actual;
        try (KindlingContext kc = Kindling.builder().master(master).build()) {
            assertEquals(master.startsWith("local-cluster") ? 2 : 0, executorProcesses().size(),
                    "executor processes while the context runs");
            actual = slice(kc, Files.createDirectories(tmp.resolve(master.replaceAll("[^a-z0-9]", "_"))));
        }
        for (String op : expected.keySet()) {
            assertEquals(expected.get(op), actual.get(op), op + " on " + master);
        }
        long reused = (Long) actual.get("evaluationsAfterReuse");
        if (master.startsWith("local[")) {
            assertEquals((long) input().size(), reused, "a cached RDD reused in local mode is evaluated once");
        } else {
            assertTrue(reused >= input().size() && reused <= 2L * input().size(), "evaluations " + reused);
        }
    }

    @Test
    void closeLeavesNoExecutorProcessBehind() {
        List<ProcessHandle> executors;
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).build()) {
            assertEquals(4L, kc.parallelize(List.of(1, 2, 3, 4), 2).count());
            executors = executorProcesses();
            assertEquals(2, executors.size(), "executor processes of " + CLUSTER);
            assertEquals(2, kc.defaultParallelism());
        }
        for (ProcessHandle p : executors) {
            assertFalse(p.isAlive(), "executor process " + p.pid() + " is still alive after close()");
        }
        assertEquals(List.of(), executorProcesses());
    }

    /**
     * K16 (a): an executor killed with {@code kill -9} while the map stage runs. Map partitions 2 and 3
     * wait for a go-file; the executor running partition 3 is killed. The job returns the exact answer,
     * and the only map partitions that run to success twice are those whose output was on the killed
     * executor (counted through a scheduler listener); partition 3 runs again because its attempt died.
     */
    @Test
    void anExecutorKilledDuringAMapStageCostsOnlyItsOwnMapOutputs() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path go = tmp.resolve("go");
        String runsDir = runs.toString();
        String goFile = go.toString();
        MapTaskCounter counter = new MapTaskCounter();
        List<Integer> ints = IntStream.range(0, 4_000).boxed().toList();
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).build()) {
            kc.addListener(counter);
            CompletableFuture<Map<Integer, Long>> job = CompletableFuture.supplyAsync(() -> kc.parallelize(ints, 4)
                    .mapPartitionsWithIndex((index, it) -> {
                        long pid = ProcessHandle.current().pid();
                        Files.writeString(Path.of(runsDir, "run-" + index + "-" + System.nanoTime()), Long.toString(pid));
                        if (index >= 2) {
                            awaitFile(Path.of(goFile));
                        }
                        return it;
                    }, false)
                    .mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum, 2).collectAsMap());
            long killed = awaitRunOf(runs, 3);
            ProcessHandle victim = ProcessHandle.of(killed).orElseThrow();
            assertTrue(victim.info().commandLine().orElse("").contains(EXECUTOR_MAIN), "partition 3 runs in an executor");
            Map<Integer, Long> firstRunPid = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                firstRunPid.put(p, runPids(runs, p).get(0));
            }
            victim.destroyForcibly(); // SIGKILL
            victim.onExit().get(60, TimeUnit.SECONDS);
            Files.writeString(go, "go");
            Map<Integer, Long> result = job.get(300, TimeUnit.SECONDS);
            assertEquals(ints.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting())), result);
            Map<Integer, Integer> expected = new TreeMap<>();
            Set<Integer> lostOutputs = new HashSet<>();
            for (int p = 0; p < 4; p++) {
                boolean lost = p < 2 && firstRunPid.get(p) == killed;
                if (lost) {
                    lostOutputs.add(p);
                }
                expected.put(p, lost ? 2 : 1);
            }
            assertFalse(lostOutputs.isEmpty(), "the killed executor held a finished map output " + firstRunPid);
            assertEquals(expected, counter.successes(), "successful map tasks per partition (lost: " + lostOutputs + ")");
        }
    }

    /**
     * K16 (b): an executor killed with {@code kill -9} while the reduce stage runs. Reduce partition 1 waits
     * for a go-file; the executor running it is killed. The job returns the exact answer; the map partitions
     * that run to success twice are exactly those whose output was on the killed executor (the rerun of
     * reduce partition 1 needs them), every other map output is reused.
     */
    @Test
    void anExecutorKilledDuringAReduceStageCostsOnlyItsOwnMapOutputs() throws Exception {
        Path maps = Files.createDirectories(tmp.resolve("maps"));
        Path reduces = Files.createDirectories(tmp.resolve("reduces"));
        Path go = tmp.resolve("go");
        String mapsDir = maps.toString();
        String reducesDir = reduces.toString();
        String goFile = go.toString();
        MapTaskCounter counter = new MapTaskCounter();
        List<Integer> ints = IntStream.range(0, 4_000).boxed().toList();
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).build()) {
            kc.addListener(counter);
            CompletableFuture<List<Pair<Integer, Long>>> job = CompletableFuture.supplyAsync(() -> kc.parallelize(ints, 4)
                    .mapPartitionsWithIndex((index, it) -> {
                        recordRun(mapsDir, index);
                        return it;
                    }, false)
                    .mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum, 2)
                    .mapPartitionsWithIndex((index, it) -> {
                        recordRun(reducesDir, index);
                        if (index == 1) {
                            awaitFile(Path.of(goFile));
                        }
                        return it;
                    }, false)
                    .collect());
            long killed = awaitRunOf(reduces, 1);
            ProcessHandle victim = ProcessHandle.of(killed).orElseThrow();
            assertTrue(victim.info().commandLine().orElse("").contains(EXECUTOR_MAIN), "reduce partition 1 runs in an executor");
            Set<Integer> lostOutputs = new TreeSet<>();
            for (int p = 0; p < 4; p++) {
                if (runPids(maps, p).get(0) == killed) {
                    lostOutputs.add(p);
                }
            }
            victim.destroyForcibly(); // SIGKILL
            victim.onExit().get(60, TimeUnit.SECONDS);
            Files.writeString(go, "go");
            Map<Integer, Long> result = job.get(300, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(Pair::key, Pair::value, (a, b) -> {
                        throw new AssertionError("key returned twice");
                    }, TreeMap::new));
            assertEquals(new TreeMap<>(ints.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting()))), result);
            assertFalse(lostOutputs.isEmpty(), "the killed executor held a map output (each executor ran at least one)");
            Map<Integer, Integer> expected = new TreeMap<>();
            for (int p = 0; p < 4; p++) {
                expected.put(p, lostOutputs.contains(p) ? 2 : 1);
                if (!lostOutputs.contains(p)) {
                    assertEquals(1, runPids(maps, p).size(), "map partition " + p + " (output kept) ran once");
                }
            }
            assertEquals(expected, counter.successes(), "successful map tasks per partition (lost: " + lostOutputs + ")");
            assertTrue(runPids(reduces, 1).size() >= 2, "reduce partition 1 ran again after its executor died");
        }
    }

    /**
     * K16 (c): an executor killed after its map outputs were committed and before any reduce task read
     * them. Two actions share one shuffle: the first runs the map stage (and a count over it), then the
     * executor that ran map partition 0 is killed, then a second action reads the shuffle. The answer is
     * exact; only the killed executor's map partitions run again, the other outputs are reused.
     */
    @Test
    void anExecutorKilledBetweenTwoJobsSharingAShuffleCostsOnlyItsOwnMapOutputs() throws Exception {
        Path maps = Files.createDirectories(tmp.resolve("maps"));
        String mapsDir = maps.toString();
        MapTaskCounter counter = new MapTaskCounter();
        List<Integer> ints = IntStream.range(0, 4_000).boxed().toList();
        try (KindlingContext kc = Kindling.builder().master(CLUSTER).build()) {
            kc.addListener(counter);
            PairRDD<Integer, Long> counts = kc.parallelize(ints, 4)
                    .mapPartitionsWithIndex((index, it) -> {
                        recordRun(mapsDir, index);
                        return it;
                    }, false)
                    .mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum, 2);
            assertEquals(10L, counts.count(), "the first job runs the map stage");
            assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1), counter.successes(), "each map partition ran once in job 1");
            long killed = runPids(maps, 0).get(0);
            Set<Integer> lostOutputs = new TreeSet<>();
            for (int p = 0; p < 4; p++) {
                if (runPids(maps, p).get(0) == killed) {
                    lostOutputs.add(p);
                }
            }
            ProcessHandle victim = ProcessHandle.of(killed).orElseThrow();
            assertTrue(victim.info().commandLine().orElse("").contains(EXECUTOR_MAIN), "map partition 0 ran in an executor");
            victim.destroyForcibly(); // SIGKILL
            victim.onExit().get(60, TimeUnit.SECONDS);

            Map<Integer, Long> result = new TreeMap<>(counts.collectAsMap());
            assertEquals(new TreeMap<>(ints.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting()))), result);
            Map<Integer, Integer> expected = new TreeMap<>();
            for (int p = 0; p < 4; p++) {
                expected.put(p, lostOutputs.contains(p) ? 2 : 1);
                assertEquals(lostOutputs.contains(p) ? 2 : 1, runPids(maps, p).size(), "runs of map partition " + p);
            }
            assertTrue(lostOutputs.size() < 4, "the surviving executor held a map output too: " + lostOutputs);
            assertEquals(expected, counter.successes(), "successful map tasks per partition (lost: " + lostOutputs + ")");
        }
    }

    /** Counts successful shuffle-map task ends per map partition, over all map stages and stage attempts. */
    private static final class MapTaskCounter implements SchedulerListener {
        private final Map<Integer, Integer> successes = new ConcurrentHashMap<>();
        private final Set<Integer> mapStages = ConcurrentHashMap.newKeySet();

        @Override
        public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
            if (event.stage().shuffleMap()) {
                mapStages.add(event.stage().stageId());
            }
        }

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            if (mapStages.contains(event.stageId()) && event.succeeded()) {
                successes.merge(event.task().partition(), 1, Integer::sum);
            }
        }

        /** Successful map tasks by partition, sorted. */
        Map<Integer, Integer> successes() {
            return new TreeMap<>(successes);
        }
    }

    /** Records that partition {@code index} runs in this process: a file {@code run-<index>-<nanos>} holding the pid. */
    private static void recordRun(String dir, int index) throws IOException {
        Path tmpFile = Path.of(dir, ".tmp-" + index + "-" + System.nanoTime());
        Files.writeString(tmpFile, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmpFile, Path.of(dir, "run-" + index + "-" + System.nanoTime()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A result larger than a frame (about 1.3 MB with 256 KiB frames) no longer fails its job: it waits on
     * the executor as a block that the driver fetches in chunks (see LargeBlocksAcrossProcessesTest).
     */
    @Test
    void aResultLargerThanAFrameReachesTheDriverInChunks() {
        try (KindlingContext kc = Kindling.builder().master("local-cluster[1,1,512]")
                .config("kindling.network.maxFrameBytes", Integer.toString(256 << 10)).build()) {
            RDD<String> big = kc.parallelize(List.of(0), 1).flatMap(i -> IntStream.range(0, 100_000)
                    .mapToObj(n -> "record " + n).iterator());
            assertEquals(IntStream.range(0, 100_000).mapToObj(n -> "record " + n).toList(), big.collect());
            assertEquals(100_000L, big.count());
        }
    }

    private static List<ProcessHandle> executorProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_MAIN)).toList();
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

    /** Waits for a run of map partition {@code partition} and returns the pid of the process running it. */
    private static long awaitRunOf(Path runs, int partition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (true) {
            List<Long> pids = runPids(runs, partition);
            if (!pids.isEmpty()) {
                return pids.get(0);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("map partition " + partition + " did not start within 240 s");
            }
            Thread.sleep(20);
        }
    }

    /** The pids of the runs of {@code partition} recorded so far. */
    private static List<Long> runPids(Path runs, int partition) throws IOException {
        try (Stream<Path> files = Files.list(runs)) {
            List<Path> mine = files.filter(f -> f.getFileName().toString().startsWith("run-" + partition + "-"))
                    .sorted((a, b) -> Long.compare(nanos(a), nanos(b))).toList();
            List<Long> pids = new ArrayList<>();
            for (Path f : mine) {
                String s = Files.readString(f).strip();
                if (!s.isEmpty()) {
                    pids.add(Long.parseLong(s));
                }
            }
            return pids;
        }
    }

    private static long nanos(Path run) {
        String name = run.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
    }
}
