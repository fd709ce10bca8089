package dev.kindling.internal.storage.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.storage.memory.MemoryConsumer;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block store's rules, each against a hand-computed expectation: LRU eviction order, the
 * same-RDD rule, read pins, and block locks (one writer, waiters read, a failed or killed writer
 * hands over, a killed waiter stops, re-entry never waits on itself). The {@link Timeout}s only
 * turn a deadlock into a failure; nothing asserts on time.
 */
class BlockStoreRulesTest {

    private static final int RECORDS = 5000;

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static List<Object> data(int seed) {
        String prefix = String.format("value-%03d-", Math.floorMod(seed, 1000)); // same size for every seed
        return IntStream.range(0, RECORDS).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    private static List<Object> drain(Iterator<?> it) {
        List<Object> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** Estimated memory bytes of one block of {@link #data}, measured in a roomy store. */
    private long blockBytes() {
        try (BlockManager probe = manager(64 << 20, "probe")) {
            probe.put(BlockId.rdd(0, 0), data(0).iterator(), StorageLevel.MEMORY_ONLY, () -> { });
            return probe.status(BlockId.rdd(0, 0)).orElseThrow().memoryBytes();
        }
    }

    private BlockManager manager(long budget, String name) {
        return new BlockManager(new MemoryManager(budget), KryoSerializer.create(), dir.resolve(name));
    }

    /** A store whose memory holds {@code blocks} blocks of {@link #data} and half of another. */
    private BlockManager managerFor(int blocks) {
        long size = blockBytes();
        return manager(blocks * size + size / 2, "blocks");
    }

    private static CloseableIterator<Object> read(BlockManager bm, BlockId id, long owner, AtomicInteger computed)
            throws Exception {
        return bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, owner, () -> { }, () -> {
            computed.incrementAndGet();
            return data(id.hashCode()).iterator();
        });
    }

    @Test
    void whenRoomIsNeeded_thenTheLeastRecentlyReadBlockIsEvicted() throws Exception {
        try (BlockManager bm = managerFor(3)) {
            AtomicInteger computed = new AtomicInteger();
            BlockId a = BlockId.rdd(1, 0);
            BlockId b = BlockId.rdd(2, 0);
            BlockId c = BlockId.rdd(3, 0);
            BlockId d = BlockId.rdd(4, 0);
            for (BlockId id : List.of(a, b, c)) {
                drain(read(bm, id, 1, computed));
            }
            drain(read(bm, a, 1, computed)); // a is now the most recently used
            drain(read(bm, d, 1, computed));
            assertEquals(List.of(c, a, d), bm.memoryOrder());
            assertEquals(4, computed.get());
            assertEquals(new CacheCounts(0, 1, 1), bm.cacheCounts(2));
            assertEquals(new CacheCounts(1, 1, 0), bm.cacheCounts(1));
        }
    }

    @Test
    void whenAnRddIsLargerThanMemory_thenItKeepsItsFirstBlocksInsteadOfEvictingItselfInACircle() throws Exception {
        try (BlockManager bm = managerFor(3)) {
            AtomicInteger computed = new AtomicInteger();
            for (int pass = 0; pass < 3; pass++) {
                for (int p = 0; p < 6; p++) {
                    BlockId id = BlockId.rdd(7, p);
                    assertEquals(data(id.hashCode()), drain(read(bm, id, 1, computed)));
                }
            }
            // pass 1 computes 6; passes 2 and 3 read partitions 0-2 and recompute 3-5
            assertEquals(6 + 3 + 3, computed.get());
            assertEquals(new CacheCounts(6, 12, 0), bm.cacheCounts(7));
            assertEquals(List.of(BlockId.rdd(7, 0), BlockId.rdd(7, 1), BlockId.rdd(7, 2)), bm.memoryOrder());
        }
    }

    @Test
    void whenABlockIsBeingRead_thenItIsNotEvictedUntilItsIteratorIsClosed() throws Exception {
        try (BlockManager bm = managerFor(2)) {
            AtomicInteger computed = new AtomicInteger();
            BlockId a = BlockId.rdd(1, 0);
            BlockId b = BlockId.rdd(2, 0);
            drain(read(bm, a, 1, computed));
            drain(read(bm, b, 1, computed));
            CloseableIterator<Object> reading = read(bm, a, 1, computed);
            reading.next();
            drain(read(bm, b, 1, computed)); // a is least recently used now, but pinned
            drain(read(bm, BlockId.rdd(3, 0), 1, computed));
            assertEquals(List.of(a, BlockId.rdd(3, 0)), bm.memoryOrder(), "b was evicted, not the pinned a");
            reading.close();
            drain(read(bm, BlockId.rdd(4, 0), 1, computed));
            assertEquals(List.of(BlockId.rdd(3, 0), BlockId.rdd(4, 0)), bm.memoryOrder(), "a went once unpinned");
        }
    }

    @Test
    void whenExecutionNeedsMemory_thenItEvictsTheLeastRecentlyUsedBlocksButNotPinnedOnes() throws Exception {
        long size = blockBytes();
        MemoryManager mm = new MemoryManager(3 * size + size / 2);
        MemoryConsumer buffer = () -> "test buffer";
        try (BlockManager bm = new BlockManager(mm, KryoSerializer.create(), dir.resolve("blocks"))) {
            AtomicInteger computed = new AtomicInteger();
            BlockId a = BlockId.rdd(1, 0);
            for (BlockId id : List.of(a, BlockId.rdd(2, 0), BlockId.rdd(3, 0))) {
                drain(read(bm, id, 1, computed));
            }
            CloseableIterator<Object> reading = read(bm, a, 1, computed); // a: most recent, and pinned
            assertEquals(2 * size, mm.acquireExecution(buffer, 2 * size));
            assertEquals(List.of(a), bm.memoryOrder(), "the two older blocks made room, the pinned one stayed");
            assertEquals(2, bm.evictions());
            reading.close();
            mm.releaseAll(buffer);
            assertEquals(3 * size, mm.acquireExecution(buffer, 3 * size));
            assertEquals(List.of(), bm.memoryOrder(), "unpinned, a gave way too");
            mm.releaseAll(buffer);
        }
    }

    @Test
    void whenMemoryAndDiskBlocksAreEvicted_thenTheyAreReadFromDiskWithoutRecomputing() throws Exception {
        try (BlockManager bm = managerFor(2)) {
            AtomicInteger computed = new AtomicInteger();
            for (int pass = 0; pass < 2; pass++) {
                for (int r = 1; r <= 4; r++) {
                    BlockId id = BlockId.rdd(r, 0);
                    CloseableIterator<Object> it = bm.getOrCompute(id, StorageLevel.MEMORY_AND_DISK, 1, () -> { }, () -> {
                        computed.incrementAndGet();
                        return data(id.hashCode()).iterator();
                    });
                    assertEquals(data(id.hashCode()), drain(it));
                }
            }
            assertEquals(4, computed.get());
            assertTrue(bm.evictions() >= 2, "evictions: " + bm.evictions());
            assertTrue(bm.statuses().stream().filter(BlockStatus::onDisk).count() >= 2, bm.statuses().toString());
        }
    }

    /** A compute that signals it started, then waits for {@code release} (and fails when asked to). */
    private static java.util.concurrent.Callable<Iterator<?>> gated(CountDownLatch started, CountDownLatch release,
                                                                    AtomicInteger computed, boolean fail) {
        return () -> {
            computed.incrementAndGet();
            started.countDown();
            release.await();
            if (fail) {
                throw new IllegalStateException("writer failed on purpose");
            }
            return data(1).iterator();
        };
    }

    private static void awaitWaiters(BlockManager bm, long waits) throws InterruptedException {
        while (bm.lockWaits() < waits) {
            Thread.sleep(2);
        }
    }

    @Test
    @Timeout(60)
    void whenTwoTasksAskForTheSameMissingBlock_thenOneComputesItAndTheOtherWaitsAndReadsIt() throws Exception {
        try (BlockManager bm = manager(64 << 20, "blocks")) {
            BlockId id = BlockId.rdd(1, 0);
            AtomicInteger computed = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<List<Object>> writer = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 1, () -> { }, gated(started, release, computed, false))));
            started.await();
            Future<List<Object>> waiter = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 2, () -> { }, gated(started, release, computed, false))));
            awaitWaiters(bm, 1);
            release.countDown();
            assertEquals(data(1), writer.get());
            assertEquals(data(1), waiter.get());
            assertEquals(1, computed.get());
            assertEquals(new CacheCounts(1, 1, 0), bm.cacheCounts(1));
        }
    }

    @Test
    @Timeout(60)
    void whenTheWriterFails_thenItReleasesTheLockAndTheWaiterComputesTheBlockItself() throws Exception {
        try (BlockManager bm = manager(64 << 20, "blocks")) {
            BlockId id = BlockId.rdd(1, 0);
            AtomicInteger computed = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<List<Object>> writer = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 1, () -> { }, gated(started, release, computed, true))));
            started.await();
            Future<List<Object>> waiter = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 2, () -> { }, gated(new CountDownLatch(1), release,
                            computed, false))));
            awaitWaiters(bm, 1);
            release.countDown();
            ExecutionException failed = assertThrows(ExecutionException.class, writer::get);
            assertInstanceOf(IllegalStateException.class, failed.getCause());
            assertEquals(data(1), waiter.get());
            assertEquals(2, computed.get());
            assertEquals(data(1), drain(bm.get(id).orElseThrow()));
        }
    }

    @Test
    @Timeout(60)
    void whenAWaitingTaskIsKilled_thenItStopsWaitingAndTheWriterStillStoresTheBlock() throws Exception {
        try (BlockManager bm = manager(64 << 20, "blocks")) {
            BlockId id = BlockId.rdd(1, 0);
            AtomicInteger computed = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean killed = new AtomicBoolean();
            Runnable checkKilled = () -> {
                if (killed.get()) {
                    throw new IllegalStateException("task 2 was killed");
                }
            };
            Future<List<Object>> writer = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 1, () -> { }, gated(started, release, computed, false))));
            started.await();
            Future<List<Object>> waiter = threads.submit(() ->
                    drain(bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 2, checkKilled, gated(started, release, computed, false))));
            awaitWaiters(bm, 1);
            killed.set(true);
            ExecutionException stopped = assertThrows(ExecutionException.class, waiter::get);
            assertEquals("task 2 was killed", stopped.getCause().getMessage());
            assertFalse(writer.isDone(), "the waiter stopped while the writer was still computing");
            release.countDown();
            assertEquals(data(1), writer.get());
            assertEquals(1, computed.get());
            assertTrue(bm.status(id).orElseThrow().inMemory());
        }
    }

    @Test
    @Timeout(60)
    void whenTheWritingTaskAsksForItsOwnBlock_thenItComputesItWithoutWaitingOnItself() throws Exception {
        try (BlockManager bm = manager(64 << 20, "blocks")) {
            BlockId id = BlockId.rdd(1, 0);
            AtomicInteger computed = new AtomicInteger();
            List<Object> inner = new ArrayList<>();
            CloseableIterator<Object> outer = bm.getOrCompute(id, StorageLevel.MEMORY_ONLY, 1, () -> { }, () -> {
                computed.incrementAndGet();
                inner.addAll(drain(read(bm, id, 1, computed)));
                return data(1).iterator();
            });
            assertEquals(data(1), drain(outer));
            assertEquals(data(id.hashCode()), inner, "the re-entrant request computed the block itself");
            assertEquals(2, computed.get());
            assertEquals(data(1), drain(bm.get(id).orElseThrow()), "the outer computation is the one stored");
        }
    }

    @Test
    void whenABlockIsRemovedWhileBeingRead_thenTheReaderFinishesAndALaterRequestRecomputes() throws Exception {
        try (BlockManager bm = manager(64 << 20, "blocks")) {
            BlockId id = BlockId.rdd(1, 0);
            AtomicInteger computed = new AtomicInteger();
            drain(read(bm, id, 1, computed));
            CloseableIterator<Object> reading = read(bm, id, 2, computed);
            Object first = reading.next();
            assertTrue(bm.remove(id));
            List<Object> rest = drain(reading);
            rest.add(0, first);
            assertEquals(data(id.hashCode()), rest);
            assertEquals(data(id.hashCode()), drain(read(bm, id, 3, computed)));
            assertEquals(2, computed.get());
            assertEquals(CacheCounts.NONE, bm.cacheCounts(99));
        }
    }
}
