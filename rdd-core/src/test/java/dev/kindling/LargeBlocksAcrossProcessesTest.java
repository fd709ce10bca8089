package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Data larger than a network frame crossing process boundaries on {@code local-cluster[2,1,512]}: task
 * results that wait on their executor as blocks the driver fetches in chunks (and then has deleted),
 * {@code kindling.driver.maxResultSize}, a 100 MB broadcast fetched by each executor in chunks, and
 * executors dropping their copy of a broadcast the driver unpersisted or destroyed. Every answer is
 * checked against a java.util.stream reference.
 */
class LargeBlocksAcrossProcessesTest {

    private static final String CLUSTER = "local-cluster[2,1,512]";

    /** Records of partition {@code p}: {@code n} strings, about 19 bytes each serialized. */
    private static Stream<String> records(int p, int n) {
        return IntStream.range(0, n).mapToObj(i -> "p" + p + "-record-" + i);
    }

    /** Jobs on a cluster with the default settings: 16 MiB frames, 1 MiB direct results, 1 GiB per job. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithDefaultSettings {

        private KindlingContext kc;

        @BeforeAll
        void start() {
            kc = Kindling.builder().master(CLUSTER).build();
        }

        @AfterAll
        void stop() {
            kc.close();
        }

        @Test
        void aCollectOfFortyMegabytesWhosePartitionsEachExceedTheFrameLimitEqualsTheStreamAnswer() throws IOException {
            int partitions = 2;
            int perPartition = 1_000_000; // ~19 MB serialized per partition, over the default 16 MiB frame
            List<String> collected = kc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                    .flatMap(p -> records(p, perPartition).iterator()).collect();
            List<String> expected = IntStream.range(0, partitions).boxed().flatMap(p -> records(p, perPartition)).toList();
            assertEquals(expected.size(), collected.size());
            assertEquals(expected, collected);
            // The driver has each executor delete a result block before it hands the result on.
            assertEquals(List.of(), resultBlockFiles(kc), "result blocks left on the executors after the job");
        }

        @Test
        void aHundredMegabyteBroadcastGivesTheRightChecksumOnBothExecutorsAndIsDroppedOnUnpersist() {
            long[] values = LongStream.range(0, 12_500_000).map(i -> i * 2_654_435_761L ^ (i >>> 3)).toArray(); // 100 MB
            long expected = LongStream.range(0, values.length).map(i -> values[(int) i] * (i % 7 + 1)).sum();
            Broadcast<long[]> big = kc.broadcast(values);
            kc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).foreach(p -> resetPeakHeap()); // earlier tests' peaks
            List<String> parts = kc.parallelize(List.of(0, 1, 2, 3), 4).map(p -> {
                long[] v = big.value();
                long sum = 0;
                for (int i = p; i < v.length; i += 4) {
                    sum += v[i] * (i % 7 + 1);
                }
                return ProcessHandle.current().pid() + " " + sum + " " + peakHeapBytes();
            }).collect();
            long total = parts.stream().mapToLong(s -> Long.parseLong(s.split(" ")[1])).sum();
            assertEquals(expected, total, "checksum of the broadcast as the tasks read it");
            assertEquals(2, pids(parts).size(), "tasks ran on both executors: " + parts);
            System.out.println("100 MB broadcast on " + CLUSTER + ": executor peak heap (sum of pool peaks) per task: "
                    + parts.stream().map(s -> (Long.parseLong(s.split(" ")[2]) >> 20) + " MiB").toList());
            long id = big.id();
            assertEquals(Set.of(true), cachedOnExecutors(kc, id).values, "each executor holds a copy after use");
            big.unpersist();
            Cached after = cachedOnExecutors(kc, id);
            assertEquals(Set.of(false), after.values, "no executor holds a copy after unpersist");
            assertEquals(2, after.pids.size(), "checked on both executors");
            big.destroy(); // frees the driver's 100 MB for the next test
        }

        @Test
        void aDestroyedBroadcastIsDroppedByTheExecutorsAndFailsALaterJobAsInLocalMode() {
            Broadcast<int[]> table = kc.broadcast(IntStream.range(0, 1000).toArray());
            RDD<Integer> used = kc.parallelize(List.of(0, 1, 2, 3), 4).map(p -> table.value()[p * 100]);
            assertEquals(List.of(0, 100, 200, 300), used.collect());
            assertEquals(Set.of(true), cachedOnExecutors(kc, table.id()).values);
            table.destroy();
            Cached after = cachedOnExecutors(kc, table.id());
            assertEquals(Set.of(false), after.values, "executors dropped the destroyed broadcast");
            assertEquals(2, after.pids.size());
            Exception e = assertThrows(Exception.class, used::collect);
            assertTrue(messages(e).contains("Broadcast " + table.id() + " was destroyed"), messages(e));
            assertEquals(4L, kc.parallelize(List.of(1, 2, 3, 4), 2).count(), "the context still runs jobs");
        }
    }

    /**
     * Jobs on a cluster with 64 KiB frames, 256 KiB in flight per fetch, results over 64 KiB as blocks, and
     * at most 1 MiB of results per job.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithSmallLimits {

        private KindlingContext kc;

        @BeforeAll
        void start() {
            kc = Kindling.builder().master(CLUSTER)
                    .config("kindling.network.maxFrameBytes", Integer.toString(64 << 10))
                    .config("kindling.reducer.maxBytesInFlight", Integer.toString(256 << 10))
                    .config("kindling.task.maxDirectResultSize", "64k")
                    .config("kindling.driver.maxResultSize", "1m").build();
        }

        @AfterAll
        void stop() {
            kc.close();
        }

        @Test
        void resultsLargerThanAFrameTravelAsChunkedBlocksAndNoneIsLeftBehind() throws IOException {
            RDD<String> rdd = kc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
                    .flatMap(p -> records(p, 5_000).iterator()); // ~95 KB per partition, 760 KB in all
            assertEquals(IntStream.range(0, 8).boxed().flatMap(p -> records(p, 5_000)).toList(), rdd.collect());
            assertEquals(List.of(), resultBlockFiles(kc));
        }

        @Test
        void aJobWhoseResultsExceedMaxResultSizeFailsNamingTheKeyAndTheContextStaysUsable() throws Exception {
            RDD<String> rdd = kc.parallelize(IntStream.range(0, 4).boxed().toList(), 4)
                    .flatMap(p -> records(p, 40_000).iterator()); // ~750 KB per partition, 3 MB in all
            Exception e = assertThrows(Exception.class, rdd::collect);
            assertTrue(messages(e).contains("kindling.driver.maxResultSize (1048576 bytes)"), messages(e));
            assertEquals(160_000L, rdd.count(), "the context runs jobs after the failed one");
            // Results of the failed job's other tasks may still be arriving; each is deleted unread.
            awaitNoResultBlocks(kc);
        }
    }

    /** Whether each task's executor holds broadcast {@code id}, and the executors asked. */
    private record Cached(Set<Boolean> values, Set<Long> pids) {
    }

    /**
     * Asks every executor, through tasks that look in their executor's broadcast cache without fetching,
     * whether it holds broadcast {@code id}. With one slot per executor and 8 tasks, the first two tasks go
     * to different executors, so both are asked.
     */
    private static Cached cachedOnExecutors(KindlingContext kc, long id) {
        List<String> answers = kc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).map(p -> {
            Object copy = TaskContextAccess.get().env(TaskContext.get()).broadcasts().cached(id);
            return ProcessHandle.current().pid() + " " + (copy != null);
        }).collect();
        Set<Boolean> values = answers.stream().map(s -> Boolean.parseBoolean(s.split(" ")[1])).collect(Collectors.toSet());
        return new Cached(values, pids(answers));
    }

    private static Set<Long> pids(List<String> answers) {
        return answers.stream().map(s -> Long.parseLong(s.split(" ")[0])).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Forgets this JVM's heap pools' peak usage (after a collection, so the next peak is the next job's own). */
    private static void resetPeakHeap() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the peak usage of this JVM's heap pools: an upper bound of its peak heap use. */
    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** Files left in the executors' result directories ({@code executor-<id>/results} of the scratch directory). */
    private static List<Path> resultBlockFiles(KindlingContext kc) throws IOException {
        List<Path> left = new java.util.ArrayList<>();
        try (Stream<Path> executors = Files.list(kc.localDir())) {
            for (Path dir : executors.filter(d -> d.getFileName().toString().startsWith("executor-")).toList()) {
                Path results = dir.resolve("results");
                if (Files.isDirectory(results)) {
                    try (Stream<Path> files = Files.list(results)) {
                        files.forEach(left::add);
                    }
                }
            }
        }
        return left;
    }

    /** Waits until no result block is left on the executors; fails after two minutes, listing what is left. */
    private static void awaitNoResultBlocks(KindlingContext kc) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        List<Path> left = resultBlockFiles(kc);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            left = resultBlockFiles(kc);
        }
        assertEquals(List.of(), left, "result blocks left on the executors");
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }
}
