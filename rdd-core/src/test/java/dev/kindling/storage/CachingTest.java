package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.RDDStorageInfo;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Persisted RDDs through the block manager: levels, eviction, recomputation, loss and cancellation. */
@ExtendWith(LocalContext.class)
class CachingTest {

    /** Counts computations per (test key, partition); static so closures reach it in local mode. */
    static final ConcurrentHashMap<String, AtomicInteger> COMPUTED = new ConcurrentHashMap<>();

    static final java.util.concurrent.atomic.AtomicReference<KindlingContext> CANCEL = new java.util.concurrent.atomic.AtomicReference<>();

    private static RDD<Long> counted(KindlingContext kc, String key, long n, int partitions) {
        return kc.range(0, n, 1, partitions).mapPartitionsWithIndex((p, it) -> {
            COMPUTED.computeIfAbsent(key + "/" + p, k -> new AtomicInteger()).incrementAndGet();
            return it;
        }, false).map(x -> x * 3 + 1);
    }

    private static int computations(String key) {
        return COMPUTED.entrySet().stream().filter(e -> e.getKey().startsWith(key + "/"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    private static List<Long> reference(long n) {
        return LongStream.range(0, n).map(x -> x * 3 + 1).boxed().collect(Collectors.toList());
    }

    @ParameterizedTest
    @EnumSource(value = StorageLevel.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachLevelComputesOnceAndReturnsTheReference(StorageLevel level, KindlingContext kc) {
        String key = "level-" + level;
        RDD<Long> rdd = counted(kc, key, 10_000, 4).persist(level);
        assertEquals(reference(10_000), rdd.collect());
        assertEquals(reference(10_000), rdd.collect());
        assertEquals(10_000, rdd.count());
        assertEquals(4, computations(key));
        RDDStorageInfo info = kc.getRDDStorageInfo().stream().filter(i -> i.rddId() == rdd.id()).findFirst().orElseThrow();
        assertEquals(level, info.level());
        assertEquals(4, info.cachedPartitions());
        assertEquals(level.useMemory() ? 4 : 0, info.memoryPartitions());
        assertEquals(level.useMemory() ? 0 : 4, info.diskPartitions());
        assertTrue(level.useMemory() ? info.memoryBytes() > 0 : info.diskBytes() > 0, info.toString());
        rdd.unpersist();
        assertTrue(kc.getRDDStorageInfo().isEmpty());
        assertEquals(reference(10_000), rdd.collect());
        assertEquals(8, computations(key));
    }

    @Test
    void whenMemoryIsSmall_thenMemoryOnlyRecomputesAndMemoryAndDiskSpillsWithIdenticalResults() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 4L << 20).build()) {
            RDD<Long> memOnly = counted(kc, "small-mem", 400_000, 8).persist(StorageLevel.MEMORY_ONLY);
            RDD<Long> memDisk = counted(kc, "small-disk", 400_000, 8).persist(StorageLevel.MEMORY_AND_DISK);
            List<Long> expected = reference(400_000);
            for (int round = 0; round < 3; round++) {
                assertEquals(expected, memOnly.collect());
                assertEquals(expected, memDisk.collect());
            }
            assertTrue(computations("small-mem") > 8, "evicted MEMORY_ONLY partitions were recomputed");
            assertEquals(8, computations("small-disk"), "MEMORY_AND_DISK partitions were read back from disk");
            RDDStorageInfo disk = kc.getRDDStorageInfo().stream().filter(i -> i.rddId() == memDisk.id()).findFirst().orElseThrow();
            assertTrue(disk.diskPartitions() > 0, disk.toString());
            assertTrue(ContextInternals.of(kc).blockManager().memoryUsed() <= 4L << 20);
        }
    }

    @Test
    void whenACacheFileIsDeletedBetweenActions_thenOnlyThatPartitionIsRecomputed(KindlingContext kc) throws IOException {
        RDD<Long> rdd = counted(kc, "deleted", 10_000, 4).persist(StorageLevel.DISK_ONLY);
        assertEquals(reference(10_000), rdd.collect());
        Path blockFile;
        try (Stream<Path> files = Files.list(kc.localDir().resolve("blocks"))) {
            blockFile = files.filter(f -> f.getFileName().toString().equals("rdd_" + rdd.id() + "_2.kryo")).findFirst().orElseThrow();
        }
        Files.delete(blockFile);
        assertEquals(reference(10_000), rdd.collect());
        assertEquals(5, computations("deleted"));
        assertEquals(1, COMPUTED.get("deleted/2").get() - 1);
    }

    @Test
    void whenAJobIsCancelledMidPartition_thenThePartialPartitionIsNotCached(KindlingContext kc) throws Exception {
        CANCEL.set(kc);
        // Each partition (0..499999 and 500000..999999) cancels the job at its 501st record and waits
        // until its own task is killed, so neither can finish, however the two threads are scheduled.
        RDD<Long> slow = kc.range(0, 1_000_000, 1, 2).map(x -> {
            if (x % 500_000 == 500) {
                CANCEL.get().cancelAllJobs();
                awaitKilled(TaskContext.get());
            }
            return x;
        }).cache();
        assertThrows(RuntimeException.class, slow::count);
        assertEquals(0, kc.getRDDStorageInfo().get(0).cachedPartitions());
        RDD<Long> plain = kc.range(0, 1000, 1, 2).cache();
        assertEquals(1000, plain.count());
        assertEquals(2, kc.getRDDStorageInfo().get(1).memoryPartitions());
    }

    /** Waits, at most 60 s, until the scheduler marks {@code task} killed (cancellation is asynchronous). */
    private static void awaitKilled(TaskContext task) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!task.isKilled() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void changingTheLevelOfAPersistedRddIsAnError(KindlingContext kc) {
        RDD<Long> rdd = kc.range(0, 10).cache();
        assertThrows(UnsupportedOperationException.class, () -> rdd.persist(StorageLevel.DISK_ONLY));
    }
}
