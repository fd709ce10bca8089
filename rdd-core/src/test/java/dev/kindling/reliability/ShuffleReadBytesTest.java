package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.PairRDD;
import dev.kindling.Pair;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A reduce task's shuffle read bytes are measured: for map outputs on disk they add up to the sizes
 * of the shuffle files read (listed on disk, independently of the metrics); for map outputs kept in
 * memory they are the outputs' estimated size, shared out by record count.
 */
class ShuffleReadBytesTest {

    private static final int MAPS = 4;
    private static final int REDUCERS = 3;

    private static List<Pair<Integer, String>> data(int n) {
        List<Pair<Integer, String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Pair.of(i % 97, "value-" + i + "-" + "x".repeat(i % 50)));
        }
        return out;
    }

    @Test
    void whenASmallBudgetSpillsEveryMapOutput_thenReduceTasksReadTheShuffleFilesBytes() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.MEMORY_BYTES, String.valueOf(64 << 10)).build()) {
            PairRDD<Integer, String> shuffled = kc.parallelizePairs(data(6000), MAPS)
                    .partitionBy(new HashPartitioner(REDUCERS));
            Run run = Run.of(kc, () -> assertEquals(6000, shuffled.count()));
            long onDisk = shuffleFileBytes(kc);
            assertTrue(onDisk > 6000 * 8, "the shuffle went to disk: " + onDisk + " bytes");
            assertEquals(onDisk, run.sum(t -> t.metrics().shuffleBytesRead()), "bytes read = shuffle files' sizes");
            assertEquals(onDisk, run.mapSum(t -> t.metrics().shuffleBytesWritten()));
            run.reduceTasks().forEach(t -> assertTrue(t.metrics().shuffleBytesRead() > 0, t.toString()));
        }
    }

    @Test
    void whenShufflesAreForcedToDisk_thenAggregatingAndCogroupReadsReportTheFilesBytes() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.SHUFFLE_FORCE_DISK, "true").build()) {
            PairRDD<Integer, String> pairs = kc.parallelizePairs(data(3000), MAPS);
            PairRDD<Integer, Integer> lengths = pairs.reduceByKey((a, b) -> a.length() > b.length() ? a : b, REDUCERS)
                    .mapValues(String::length);
            Run reduce = Run.of(kc, () -> assertEquals(97, lengths.count()));
            long onDisk = shuffleFileBytes(kc);
            assertTrue(onDisk > 0);
            assertEquals(onDisk, reduce.sum(t -> t.metrics().shuffleBytesRead()));

            PairRDD<Integer, Pair<String, Integer>> joined = pairs.join(lengths, REDUCERS + 1);
            Run join = Run.of(kc, () -> assertEquals(3000, joined.count()));
            long joinFiles = shuffleFileBytes(kc) - onDisk; // the join's two shuffles, beside the first one
            assertEquals(joinFiles, join.sum(t -> t.metrics().shuffleBytesRead()));
        }
    }

    @Test
    void whenMapOutputsStayInMemory_thenReduceTasksReportTheirEstimatedSize() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 20)).build()) {
            PairRDD<Integer, String> shuffled = kc.parallelizePairs(data(6000), MAPS)
                    .partitionBy(new HashPartitioner(REDUCERS));
            Run run = Run.of(kc, () -> assertEquals(6000, shuffled.count()));
            assertEquals(0, shuffleFileBytes(kc), "nothing spilled");
            long written = run.mapSum(t -> t.metrics().shuffleBytesWritten());
            long read = run.sum(t -> t.metrics().shuffleBytesRead());
            // Each map output's estimate is shared out by record count, rounding down per bucket.
            assertTrue(read <= written && read >= written - MAPS * REDUCERS, "read " + read + ", written " + written);
            assertTrue(read >= 6000L * 24, "at least a Pair, an Integer and a String per record: " + read);
        }
    }

    private static long shuffleFileBytes(KindlingContext kc) {
        Path dir = kc.localDir().resolve("shuffle");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The task-end events of one action, split into map and reduce (result) stages. */
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

        long sum(ToLongFunction<TaskEnd> metric) {
            return reduceTasks().stream().mapToLong(metric).sum();
        }

        long mapSum(ToLongFunction<TaskEnd> metric) {
            return tasks.stream().filter(t -> mapStages.contains(t.stageId())).mapToLong(metric).sum();
        }
    }
}
