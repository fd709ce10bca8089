package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.scheduler.backend.ExecutorLossFailure;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.scheduler.JobFailedException;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Executor and shuffle faults as Spark has them, on a {@link ManualBackend} (each interleaving chosen by
 * the test): a failed fetch from another executor forgets every map output that executor holds, of every
 * shuffle, and asks the backend to check it; a missing output on the reader's own executor forgets only
 * that output; a task lost with its executor does not count toward {@code maxTaskFailures}.
 */
class ExecutorFaultsTest {

    private static final int A_MAPS = 3;
    private static final int B_MAPS = 2;
    private static final ExecutorLocation X = new ExecutorLocation("exec-x", "elsewhere", 7077);

    /** Sums per reduce partition of the entries (i % 4, 1) of both sources, hash-partitioned in 2: java.util.stream. */
    private static long[] expectedSums() {
        return IntStream.range(0, 2).mapToLong(p -> Stream.concat(IntStream.range(0, A_MAPS * 10).boxed(),
                IntStream.range(0, B_MAPS * 10).boxed()).filter(i -> (i % 4) % 2 == p).count()).toArray();
    }

    private static List<Integer> counts(TestLineage node) {
        return Arrays.stream(node.computed).map(AtomicInteger::get).collect(Collectors.toList());
    }

    /** Says map outputs {@code maps} of shuffle {@code shuffleId} live on executor X, keeping their sizes. */
    private static void moveToX(MapOutputTracker tracker, int shuffleId, int numMaps, int... maps) {
        MapStatus[] statuses = tracker.statuses(shuffleId, numMaps);
        for (int m : maps) {
            tracker.registerMapOutput(shuffleId, numMaps, m, new MapStatus(X, statuses[m].sizes()));
        }
    }

    /** Two sources shuffled into one node that reads both; its next task throws {@code failure} once it is set. */
    private record Job(TestLineage a, TestLineage b, TestLineage reduced, AtomicBoolean fail, int shuffleA, int shuffleB) {
    }

    private static Job twoShuffles(SchedulerHarness h, java.util.function.Function<Integer, RuntimeException> failure) {
        TestLineage a = TestLineage.source(A_MAPS, 10, 4);
        TestLineage b = TestLineage.source(B_MAPS, 10, 4);
        TestLineage inner = TestLineage.shuffled(List.of(a, b), h.store, 2);
        AtomicBoolean fail = new AtomicBoolean();
        TestLineage reduced = new TestLineage(2, inner.dependencies(), (p, ctx) -> {
            if (fail.compareAndSet(true, false)) {
                throw failure.apply(p);
            }
            return inner.iterator(p, ctx);
        });
        return new Job(a, b, reduced, fail, inner.shuffleId(0), inner.shuffleId(1));
    }

    private static long[] run(SchedulerHarness h, TestLineage node) {
        long[] sums = new long[node.numPartitions()];
        JobHandle job = h.submitSum(node, sums);
        h.runAll();
        job.await();
        return sums;
    }

    @Test
    void whenAFetchFromAnotherExecutorFails_thenEveryOutputItHoldsOfEveryShuffleIsRecomputed_andItIsChecked() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            int[] shuffle = new int[1];
            Job j = twoShuffles(h, p -> new FetchFailedException(shuffle[0], 0, X.executorId(), p, "connection refused",
                    null));
            shuffle[0] = j.shuffleA();
            MapOutputTracker tracker = h.scheduler.mapOutputTracker();
            assertEquals(Arrays.toString(expectedSums()), Arrays.toString(run(h, j.reduced())), "first job");
            // X holds map outputs 0 and 2 of shuffle A and 1 of shuffle B; the reduce fails fetching A's output 0.
            moveToX(tracker, j.shuffleA(), A_MAPS, 0, 2);
            moveToX(tracker, j.shuffleB(), B_MAPS, 1);
            j.fail().set(true);

            assertEquals(Arrays.toString(expectedSums()), Arrays.toString(run(h, j.reduced())), "second job");
            assertEquals(List.of(2, 1, 2), counts(j.a()), "A's outputs on X ran again, at once");
            assertEquals(List.of(1, 2), counts(j.b()), "so did B's, though no task failed to fetch it");
            assertEquals(List.of(X.executorId()), h.backend.checked);
            for (MapStatus s : tracker.statuses(j.shuffleA(), A_MAPS)) {
                assertEquals(ExecutorLocation.DRIVER, s.location());
            }
            assertEquals(ExecutorLocation.DRIVER, tracker.statuses(j.shuffleB(), B_MAPS)[1].location());
            h.assertIdle();
        }
    }

    @Test
    void whenAnOutputIsMissingOnTheReadersOwnExecutor_thenOnlyThatOutputIsRecomputed_andNothingIsChecked() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            int[] shuffle = new int[1];
            Job j = twoShuffles(h, p -> new FetchFailedException(shuffle[0], 2, ExecutorLocation.DRIVER_ID, p,
                    "its file is gone", null));
            shuffle[0] = j.shuffleA();
            assertEquals(Arrays.toString(expectedSums()), Arrays.toString(run(h, j.reduced())));
            j.fail().set(true);
            assertEquals(Arrays.toString(expectedSums()), Arrays.toString(run(h, j.reduced())));
            assertEquals(List.of(1, 1, 2), counts(j.a()));
            assertEquals(List.of(1, 1), counts(j.b()));
            assertEquals(List.of(), h.backend.checked);
            h.assertIdle();
        }
    }

    /** What a backend reports for a task whose executor was lost. */
    private static final class LostWithExecutor extends RuntimeException implements ExecutorLossFailure {
        private final boolean counts;

        LostWithExecutor(boolean counts) {
            super("executor exec-x was lost: its process exited with code 137");
            this.counts = counts;
        }

        @Override
        public boolean countsTowardTaskFailures() {
            return counts;
        }
    }

    private static TestLineage failingOnce(AtomicInteger failures, RuntimeException failure) {
        return new TestLineage(3, List.of(), (p, ctx) -> {
            if (p == 1 && failures.getAndIncrement() == 0) {
                throw failure;
            }
            return List.of(new AbstractMap.SimpleEntry<>(p, p + 1)).iterator();
        });
    }

    @Test
    void whenATaskIsLostWithItsExecutor_thenItRunsAgainEvenWithOneAllowedFailure() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            AtomicInteger failures = new AtomicInteger();
            TestLineage source = failingOnce(failures, new IllegalStateException("wrapped",
                    new LostWithExecutor(false)));
            assertEquals("[1, 2, 3]", Arrays.toString(run(h, source)));
            assertEquals(List.of(1, 2, 1), counts(source));
            h.assertIdle();
        }
    }

    @Test
    void whenAnExecutorLossCounts_thenOneAllowedFailureFailsTheJob() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            TestLineage source = failingOnce(new AtomicInteger(), new LostWithExecutor(true));
            long[] sums = new long[3];
            JobHandle job = h.submitSum(source, sums);
            h.runAll();
            JobFailedException e = assertThrows(JobFailedException.class, job::await);
            assertTrue(e.getMessage().contains("kindling.task.maxFailures=1"), e.getMessage());
            h.assertIdle();
        }
    }
}
