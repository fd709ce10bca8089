package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.LongAccumulator;
import dev.kindling.RDD;
import dev.kindling.RDDStorageInfo;
import dev.kindling.internal.storage.block.BlockStatus;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The block store's figures for iterative programs, each counted against a closed form: a loop
 * caching a new RDD per iteration computes each partition once; two concurrent jobs over one
 * persisted RDD compute each partition once, and a job cancelled while waiting for them stops;
 * {@code MEMORY_AND_DISK} at twice the budget never recomputes; and the cache's hits, misses and
 * evictions show in {@code getRDDStorageInfo}.
 */
class IterativeCachingTest {

    /** Computations per (test key, partition); static so closures reach it in local mode. */
    static final ConcurrentHashMap<String, AtomicInteger> COMPUTED = new ConcurrentHashMap<>();
    static volatile CountDownLatch entered;
    static volatile CountDownLatch release;

    private static final int PARTITIONS = 6;
    private static final long N = 60_000;

    private static RDD<Long> counted(KindlingContext kc, String key, long n, int partitions, long k) {
        return kc.range(0, n, 1, partitions).mapPartitionsWithIndex((p, it) -> {
            COMPUTED.computeIfAbsent(key + "/" + p, x -> new AtomicInteger()).incrementAndGet();
            return it;
        }, false).map(x -> x * 7 + k);
    }

    private static int computations(String key) {
        return COMPUTED.entrySet().stream().filter(e -> e.getKey().startsWith(key + "/"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Sum of {@code x * 7 + k} for x in [0, n), in closed form. */
    private static long sum(long n, long k) {
        return 7 * n * (n - 1) / 2 + k * n;
    }

    private static RDDStorageInfo info(KindlingContext kc, RDD<?> rdd) {
        return kc.getRDDStorageInfo().stream().filter(i -> i.rddId() == rdd.id()).findFirst().orElseThrow();
    }

    /** Estimated memory bytes of the largest block of {@link #counted}, measured in a roomy context. */
    private static long blockBytes(long n, int partitions) {
        try (KindlingContext probe = Kindling.builder().master("local[2]").build()) {
            counted(probe, "probe", n, partitions, 1).cache().count();
            return ContextInternals.of(probe).blockManager().statuses().stream().mapToLong(BlockStatus::memoryBytes).max().orElseThrow();
        }
    }

    @Test
    void whenALoopCachesANewRddEachIterationWithoutUnpersisting_thenEachPartitionIsComputedOnce() {
        long block = blockBytes(N, PARTITIONS);
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config("kindling.memory.bytes", 9 * block + block / 2).build()) {
            RDD<Long> first = null;
            for (int iteration = 0; iteration < 5; iteration++) {
                long k = iteration;
                String key = "loop-" + iteration;
                RDD<Long> rdd = counted(kc, key, N, PARTITIONS, k).cache();
                first = first == null ? rdd : first;
                for (int read = 0; read < 5; read++) {
                    assertEquals(sum(N, k), rdd.reduce(Long::sum), "iteration " + iteration + ", read " + read);
                }
                assertEquals(PARTITIONS, computations(key), "iteration " + iteration + " recomputed cached partitions");
                RDDStorageInfo info = info(kc, rdd);
                assertEquals(PARTITIONS, info.memoryPartitions(), info.toString());
                assertEquals(PARTITIONS, info.misses(), info.toString());
                assertEquals(4 * PARTITIONS, info.hits(), info.toString());
                assertEquals(0, info.evictions(), info.toString());
            }
            RDDStorageInfo oldest = info(kc, first);
            assertEquals(PARTITIONS, oldest.evictions(), "the first RDD made room for later ones: " + oldest);
            assertEquals(0, oldest.memoryPartitions(), oldest.toString());
            assertTrue(ContextInternals.of(kc).blockManager().memoryUsed() <= 9 * block + block / 2);
        }
    }

    @Test
    @Timeout(120) // turns a deadlock into a failure; nothing here asserts on time
    void whenTwoJobsReadOneRddThatIsNotCachedYet_thenEachPartitionIsComputedOnce() throws Exception {
        entered = new CountDownLatch(2);
        release = new CountDownLatch(1);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try (KindlingContext kc = Kindling.builder().master("local[4]").build()) {
            LongAccumulator computed = kc.longAccumulator("partitions computed");
            RDD<Long> rdd = kc.range(0, 20_000, 1, 2).mapPartitions(it -> {
                computed.add(1);
                entered.countDown();
                release.await();
                return it;
            }).map(x -> x * 7 + 3).persist(StorageLevel.MEMORY_ONLY);
            Future<Long> first = jobs.submit(() -> rdd.reduce(Long::sum));
            entered.await(); // both partitions are being computed by the first job
            Future<Long> second = jobs.submit(() -> rdd.reduce(Long::sum));
            while (ContextInternals.of(kc).blockManager().lockWaits() < 2) {
                Thread.sleep(2); // until both tasks of the second job wait for the blocks
            }
            release.countDown();
            assertEquals(sum(20_000, 3), first.get());
            assertEquals(sum(20_000, 3), second.get());
            assertEquals(2, computed.sum(), "each partition computed once");
            RDDStorageInfo info = info(kc, rdd);
            assertEquals(2, info.misses(), info.toString());
            assertEquals(2, info.hits(), info.toString());
        } finally {
            release.countDown();
            jobs.shutdownNow();
        }
    }

    @Test
    @Timeout(120) // turns a task that ignores cancellation while waiting into a failure
    void whenAJobWaitingForBlocksIsCancelled_thenItStopsWhileTheComputingJobFinishes() throws Exception {
        entered = new CountDownLatch(2);
        release = new CountDownLatch(1);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try (KindlingContext kc = Kindling.builder().master("local[4]").build()) {
            LongAccumulator computed = kc.longAccumulator("partitions computed");
            RDD<Long> rdd = kc.range(0, 20_000, 1, 2).mapPartitions(it -> {
                computed.add(1);
                entered.countDown();
                release.await();
                return it;
            }).map(x -> x * 7 + 3).persist(StorageLevel.MEMORY_ONLY);
            Future<Long> first = jobs.submit(() -> rdd.reduce(Long::sum));
            entered.await();
            Future<Long> second = jobs.submit(() -> {
                kc.setJobGroup("waiting", "waits for the first job's blocks");
                return rdd.reduce(Long::sum);
            });
            while (ContextInternals.of(kc).blockManager().lockWaits() < 2) {
                Thread.sleep(2);
            }
            kc.cancelJobGroup("waiting");
            assertThrows(ExecutionException.class, second::get);
            assertFalse(first.isDone(), "the cancelled job stopped while the blocks were still being computed");
            release.countDown();
            assertEquals(sum(20_000, 3), first.get());
            assertEquals(sum(20_000, 3), rdd.reduce(Long::sum));
            assertEquals(2, computed.sum(), "each partition computed once");
        } finally {
            release.countDown();
            jobs.shutdownNow();
        }
    }

    @Test
    void whenMemoryAndDiskIsTwiceTheBudget_thenTheSecondPassReadsEveryPartitionWithoutRecomputing() {
        int partitions = 8;
        long n = 80_000;
        long block = blockBytes(n, partitions);
        long budget = 4 * block + block / 2;
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", budget).build()) {
            RDD<Long> rdd = counted(kc, "twice", n, partitions, 5).persist(StorageLevel.MEMORY_AND_DISK);
            List<Long> expected = LongStream.range(0, n).map(x -> x * 7 + 5).boxed().collect(Collectors.toList());
            assertEquals(expected, rdd.collect());
            assertEquals(expected, rdd.collect());
            assertEquals(partitions, computations("twice"));
            RDDStorageInfo info = info(kc, rdd);
            assertEquals(partitions, info.cachedPartitions(), info.toString());
            assertTrue(info.diskPartitions() >= partitions / 2, info.toString());
            assertTrue(info.memoryBytes() <= budget, info.toString());
            assertEquals(partitions, info.misses(), info.toString());
            assertEquals(partitions, info.hits(), info.toString());
        }
    }
}
