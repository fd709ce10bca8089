package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.ShuffleBlockFetcher;
import dev.kindling.internal.shuffle.ShuffleReader;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A scheduler on a {@link ManualBackend} and the engine's shuffle store (with a 1 GiB memory budget,
 * so map output stays in memory; spill files, if any, go to a temporary directory deleted at
 * close), for deterministic unit tests: the test runs queued task attempts itself and waits for the event thread with
 * {@link #barrier()} after each, so every interleaving is chosen by the test, not by timing.
 */
final class SchedulerHarness implements AutoCloseable {

    private final Path shuffleDir = createShuffleDir();
    private final MemoryManager memory = new MemoryManager(1L << 30);
    final SpillingShuffleStore store = new SpillingShuffleStore(memory, KryoSerializer.create(), shuffleDir);
    private final BlockManager blocks = new BlockManager(memory, KryoSerializer.create(), shuffleDir.resolve("blocks"));
    /** Shared by the scheduler (which registers map outputs) and the executor's shuffle reader. */
    private final MapOutputTracker tracker = new MapOutputTracker();
    private final OutputCommitCoordinator commits = new OutputCommitCoordinator();
    final ManualBackend backend = new ManualBackend(new ExecutorEnv(ExecutorEnv.DRIVER_ID, 2, memory, blocks, store,
            KryoSerializer.create(), shuffleDir, new ShuffleReader(store, tracker, ExecutorLocation.DRIVER,
                    ShuffleBlockFetcher.LOCAL_ONLY, KryoSerializer.create()), commits,
            new dev.kindling.internal.executor.BroadcastCache(id -> {
                throw new IllegalStateException("no broadcasts in scheduler tests");
            })));
    final DAGScheduler scheduler;
    private final List<SchedulerEvent> events = new ArrayList<>();

    SchedulerHarness(int maxTaskFailures) {
        scheduler = new DAGScheduler(backend, store, tracker, maxTaskFailures, 1000, TaskClosure.Mode.COPY, commits, 0);
        scheduler.addListener(new SchedulerListener() {
            @Override
            public void onJobStart(SchedulerEvent.JobStart event) {
                record(event);
            }

            @Override
            public void onJobEnd(SchedulerEvent.JobEnd event) {
                record(event);
            }

            @Override
            public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
                record(event);
            }

            @Override
            public void onStageCompleted(SchedulerEvent.StageCompleted event) {
                record(event);
            }

            @Override
            public void onTaskStart(SchedulerEvent.TaskStart event) {
                record(event);
            }

            @Override
            public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                record(event);
            }
        });
    }

    private synchronized void record(SchedulerEvent event) {
        events.add(event);
    }

    /** The events of one type seen so far. */
    synchronized <E extends SchedulerEvent> List<E> events(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (SchedulerEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** Returns once the event thread has handled everything posted before this call. */
    Map<String, Integer> barrier() {
        return scheduler.internalStateSizes();
    }

    /** Runs queued attempts one at a time, letting the scheduler react after each, until none is left. */
    void runAll() {
        barrier();
        while (backend.runNext()) {
            barrier();
        }
    }

    /** Runs exactly {@code n} queued attempts (failing if fewer are queued). */
    void run(int n) {
        barrier();
        for (int i = 0; i < n; i++) {
            if (!backend.runNext()) {
                throw new AssertionError("only " + i + " of " + n + " attempts were queued");
            }
            barrier();
        }
    }

    /** Submits a job summing the entry values of every partition of {@code rdd} into {@code sums}. */
    JobHandle submitSum(Lineage rdd, long[] sums) {
        return scheduler.submitJob(rdd, IntStream.range(0, rdd.numPartitions()).toArray(), TestLineage.SUM_VALUES,
                (index, sum) -> sums[index] = sum, "sum of " + rdd.describe(), null);
    }

    /** Asserts that the scheduler holds no job, stage or attempt bookkeeping. */
    void assertIdle() {
        Map<String, Integer> sizes = barrier();
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            assertEquals(0, e.getValue(), "scheduler state not empty: " + sizes);
        }
    }

    private static Path createShuffleDir() {
        try {
            return Files.createTempDirectory("kindling-scheduler-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary shuffle directory: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        scheduler.close();
        store.close();
        blocks.close();
        try (Stream<Path> walk = Files.walk(shuffleDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the temporary shuffle directory " + shuffleDir, e);
        }
    }
}
