package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.TaskMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each measured task metric against a value known independently of the metrics: file sizes on
 * disk, line counts, distinct keys from {@code java.util.stream}, spill files listed while they
 * exist, and orderings that hold on any machine (CPU time within run time, a task's GC time within
 * the JVM's).
 */
class TaskMetricsTest {

    @TempDir
    Path dir;

    /** Lines of varied length, some non-ASCII, so that bytes differ from characters. */
    private static List<String> lines(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line " + i + " " + "é".repeat(i % 7) + "x".repeat(i % 40)).toList();
    }

    private static long sizeOfFiles(Path folder, String prefix) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).mapToLong(TaskMetricsTest::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whenATextFileIsReadInSeveralSplits_thenInputBytesAreItsSizeAndRecordsItsLines() throws IOException {
        Path file = dir.resolve("in.txt");
        List<String> lines = lines(3000);
        // The last line has no terminator: its bytes still count.
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        long n = Files.size(file);
        long l;
        try (Stream<String> s = Files.lines(file)) {
            l = s.count();
        }
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(TextFileRDD.SPLIT_SIZE, String.valueOf(n / 5)).build()) {
            RDD<String> text = kc.textFile(file.toString());
            Run run = Run.of(kc, () -> assertEquals(l, text.count()));
            assertTrue(run.tasks().size() >= 5, "several splits: " + run.tasks().size());
            assertEquals(n, run.sum(TaskMetrics::inputBytesRead), "input bytes = the file's size");
            assertEquals(l, run.sum(TaskMetrics::recordsRead), "records = the file's lines");
            assertEquals(l, run.sum(TaskMetrics::recordsWritten), "count() consumed every line");
        }
    }

    @Test
    void whenLinesAreSaved_thenOutputBytesAreTheLinesBytesPlusNewlinesAndTheFilesSizes() {
        List<String> lines = lines(2500);
        long lineBytes = lines.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        Path out = dir.resolve("out");
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            RDD<String> rdd = kc.parallelize(lines, 4);
            Run run = Run.of(kc, () -> rdd.saveAsTextFile(out.toString()));
            assertEquals(lineBytes, run.sum(TaskMetrics::outputBytesWritten), "sum of line bytes + newlines");
            assertEquals(sizeOfFiles(out, "part-"), run.sum(TaskMetrics::outputBytesWritten), "the part files' sizes");
            assertEquals(lines.size(), run.sum(TaskMetrics::outputRecordsWritten));
            assertEquals(lines.size(), run.sum(TaskMetrics::recordsWritten), "each saved record counted once");
        }
    }

    @Test
    void whenObjectFilesAreWrittenAndRead_thenBothSidesReportTheFilesSizes() {
        List<String> lines = lines(1000);
        Path out = dir.resolve("objects");
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            RDD<String> rdd = kc.parallelize(lines, 3);
            Run save = Run.of(kc, () -> rdd.saveAsObjectFile(out.toString()));
            long onDisk = sizeOfFiles(out, "part-");
            assertTrue(onDisk > 0);
            assertEquals(onDisk, save.sum(TaskMetrics::outputBytesWritten));
            assertEquals(lines.size(), save.sum(TaskMetrics::outputRecordsWritten));

            RDD<String> back = kc.objectFile(out.toString());
            Run read = Run.of(kc, () -> assertEquals(lines.size(), back.count()));
            assertEquals(onDisk, read.sum(TaskMetrics::inputBytesRead), "input bytes = the object files' sizes");
            assertEquals(lines.size(), read.sum(TaskMetrics::recordsRead));
        }
    }

    @Test
    void whenASortSpillsUnderASmallBudget_thenSpilledBytesAreTheSpillFilesSizes() {
        List<Pair<Integer, String>> data = IntStream.range(0, 20_000)
                .mapToObj(i -> Pair.of((i * 7919) % 20_000, "value-" + i + "-" + "y".repeat(i % 30))).toList();
        // One executor thread: while a task's function runs, the spill directory holds only that task's runs.
        try (KindlingContext kc = Kindling.builder().master("local[1]")
                .config(KindlingConf.MEMORY_BYTES, String.valueOf(256 << 10)).build()) {
            String spillDir = kc.localDir().resolve("spill").toString();
            PairRDD<Integer, String> sorted = kc.parallelizePairs(data, 4).sortByKey(true, 3);
            RDD<Long> filesPerTask = sorted.mapPartitions(it -> {
                // The sorter spilled and merged its runs' heads before handing over the iterator; the
                // runs stay on disk until the records are read, so they can be listed here.
                Path spills = Path.of(spillDir);
                long bytes = Files.isDirectory(spills) ? sizeOfFiles(spills, "spill_") : 0;
                long n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                return List.of(bytes, n).iterator();
            });
            List<Long> seen = new ArrayList<>();
            Run run = Run.of(kc, () -> seen.addAll(filesPerTask.collect()));
            long filesBytes = 0;
            for (int i = 0; i < seen.size(); i += 2) {
                filesBytes += seen.get(i);
            }
            assertTrue(filesBytes > 0, "the sort spilled under a 256 KiB budget");
            assertEquals(filesBytes, run.sum(TaskMetrics::diskBytesSpilled), "disk bytes spilled = spill files' sizes");
            assertTrue(run.sum(TaskMetrics::memoryBytesSpilled) > 0, run.tasks().toString());
            // Map outputs larger than the budget spill too; the commit's last file is output, not a spill.
            assertTrue(run.mapSum(TaskMetrics::diskBytesSpilled) > 0, run.mapTasks().toString());
            assertTrue(run.mapSum(TaskMetrics::diskBytesSpilled) < run.mapSum(TaskMetrics::shuffleBytesWritten));
            assertTrue(run.mapSum(TaskMetrics::memoryBytesSpilled) > 0);
            // The sorting tasks (not the range partitioner's sampling job) held execution memory.
            run.reduceTasks().stream().filter(t -> t.metrics().shuffleRecordsRead() > 0)
                    .forEach(t -> assertTrue(t.metrics().peakExecutionMemory() > 0, t.toString()));
        }
    }

    @Test
    void whenKeysAreCombinedOnTheMapSide_thenShuffleRecordsAreTheDistinctKeysPerMapPartition() {
        int maps = 4;
        List<Pair<Integer, Integer>> data = IntStream.range(0, 12_000).mapToObj(i -> Pair.of((i * 31) % 1_500, i)).toList();
        // parallelize slices contiguously: slice p holds elements [p * n / maps, (p + 1) * n / maps).
        long distinctPerMapTotal = IntStream.range(0, maps)
                .mapToLong(p -> data.subList(p * data.size() / maps, (p + 1) * data.size() / maps).stream()
                        .map(Pair::key).distinct().count()).sum();
        Map<Integer, Integer> expected = data.stream().collect(Collectors.toMap(Pair::key, Pair::value, Integer::sum, TreeMap::new));
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            PairRDD<Integer, Integer> sums = kc.parallelizePairs(data, maps).reduceByKey(Integer::sum, 3);
            List<Pair<Integer, Integer>> got = new ArrayList<>();
            Run run = Run.of(kc, () -> got.addAll(sums.collect()));
            assertEquals(expected, got.stream().collect(Collectors.toMap(Pair::key, Pair::value, (a, b) -> a, TreeMap::new)));
            assertEquals(distinctPerMapTotal, run.mapSum(TaskMetrics::shuffleRecordsWritten));
            assertEquals(distinctPerMapTotal, run.sum(TaskMetrics::shuffleRecordsRead), "reducers read every map output record");
            assertEquals(0, run.sum(TaskMetrics::shuffleRemoteBytesRead), "one JVM: every read is local");
            assertEquals(run.sum(TaskMetrics::shuffleBytesRead), run.sum(TaskMetrics::shuffleLocalBytesRead));
            run.mapTasks().forEach(t -> assertTrue(t.metrics().peakExecutionMemory() > 0, "map-side combine " + t));
            run.reduceTasks().forEach(t -> assertTrue(t.metrics().peakExecutionMemory() > 0, "aggregating reducer " + t));
            run.reduceTasks().forEach(t -> assertTrue(t.metrics().resultSize() > 0, "collected records " + t));
        }
    }

    @Test
    void whenTasksCompute_thenCpuTimeIsWithinRunTimeAndGcTimeWithinTheJvms() {
        long gcBefore = jvmGcMillis();
        int[] mutable = {3}; // a captured mutable array: every task deserializes its own copy
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            RDD<Long> squares = kc.parallelize(IntStream.range(0, 200_000).boxed().toList(), 4)
                    .map(i -> (long) i * i % (mutable[0] + 1_000_003L));
            List<String> big = new ArrayList<>();
            Run run = Run.of(kc, () -> big.addAll(squares.map(String::valueOf).collect()));
            long gcAfter = jvmGcMillis();
            long collectedChars = big.stream().mapToLong(String::length).sum();
            assertTrue(run.sum(TaskMetrics::resultSize) >= collectedChars,
                    "results hold at least one byte per collected character: " + collectedChars);
            for (TaskEnd t : run.tasks()) {
                TaskMetrics m = t.metrics();
                assertTrue(m.cpuNanos() > 0, "CPU time measured: " + m);
                // The CPU interval is read inside the wall-clock interval; 1 ms covers clock granularity.
                assertTrue(m.cpuNanos() <= m.runNanos() + 1_000_000, "CPU time within run time: " + m);
                assertTrue(m.gcMillis() >= 0 && m.gcMillis() <= gcAfter - gcBefore, "GC within the JVM's: " + m);
                assertTrue(m.deserializeNanos() > 0, "the task deserialized its functions: " + m);
                assertEquals(50_000, m.recordsRead());
            }
        }
    }

    private static long jvmGcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).map(t -> Math.max(0, t)).sum();
    }

    /** The task-end events of one action, split into map and result stages. */
    private record Run(List<TaskEnd> tasks, Set<Integer> mapStages) {
        static Run of(KindlingContext kc, Runnable action) {
            EventRecorder recorder = new EventRecorder();
            kc.addListener(recorder);
            try {
                action.run();
            } finally {
                kc.removeListener(recorder);
            }
            Set<Integer> maps = recorder.of(StageSubmitted.class).stream().filter(s -> s.stage().shuffleMap())
                    .map(s -> s.stage().stageId()).collect(Collectors.toSet());
            return new Run(recorder.of(TaskEnd.class), maps);
        }

        List<TaskEnd> reduceTasks() {
            return tasks.stream().filter(t -> !mapStages.contains(t.stageId())).toList();
        }

        List<TaskEnd> mapTasks() {
            return tasks.stream().filter(t -> mapStages.contains(t.stageId())).toList();
        }

        /** Sum over the result (non-map) tasks. */
        long sum(ToLongFunction<TaskMetrics> metric) {
            return reduceTasks().stream().mapToLong(t -> metric.applyAsLong(t.metrics())).sum();
        }

        long mapSum(ToLongFunction<TaskMetrics> metric) {
            return mapTasks().stream().mapToLong(t -> metric.applyAsLong(t.metrics())).sum();
        }
    }
}
