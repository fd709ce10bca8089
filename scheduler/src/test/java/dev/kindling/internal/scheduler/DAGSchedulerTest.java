package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the DAG scheduler on a {@link ManualBackend}: the test runs every task attempt
 * itself and waits for the event thread after each, so each interleaving is chosen, not timed. Each
 * test ends by asserting that the scheduler's internal state is empty.
 */
class DAGSchedulerTest {

    @Test
    void whenAJobReadsAShuffle_thenEachMapTaskRunsOnceAndTheResultIsRight() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(4, 25, 10);
            TestLineage reduced = TestLineage.shuffled(source, h.store, 3);
            long[] sums = new long[3];
            JobHandle job = h.submitSum(reduced, sums);
            h.runAll();
            job.await();
            assertEquals(100, Arrays.stream(sums).sum());
            assertEquals(List.of(1, 1, 1, 1), counts(source));
            h.assertIdle();
        }
    }

    @Test
    void whenTwoJobsShareAMapStageAndOneIsCancelled_thenTheMapStageKeepsRunningForTheOther() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(4, 25, 10);
            TestLineage reduced = TestLineage.shuffled(source, h.store, 3);
            JobHandle first = h.submitSum(reduced, new long[3]);
            h.barrier();
            long[] sums = new long[3];
            JobHandle second = h.submitSum(reduced, sums);
            h.barrier();
            assertEquals(4, h.backend.pending(), "one map task per partition, shared by both jobs");
            first.cancel("test cancels the first job");
            h.barrier();
            assertEquals(4, h.backend.pending(), "the shared map tasks must survive the cancellation");
            h.runAll();
            assertThrows(JobCancelledException.class, first::await);
            second.await();
            assertEquals(100, Arrays.stream(sums).sum());
            assertEquals(List.of(1, 1, 1, 1), counts(source));
            h.assertIdle();
        }
    }

    @Test
    void whenTheJobThatCreatedASharedMapStageIsCancelled_thenFailedMapTasksAreRetriedForTheOtherJob() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = new TestLineage(3, List.of(), (p, ctx) -> {
                if (p == 0 && ctx.attemptNumber() == 0) {
                    throw new IllegalStateException("first attempt of map partition 0");
                }
                return List.of(new java.util.AbstractMap.SimpleEntry<>(p, 10)).iterator();
            });
            TestLineage reduced = TestLineage.shuffled(source, h.store, 2);
            JobHandle first = h.submitSum(reduced, new long[2]);
            long[] sums = new long[2];
            JobHandle second = h.submitSum(reduced, sums);
            h.barrier();
            first.cancel("test");
            h.runAll();
            assertThrows(JobCancelledException.class, first::await);
            second.await();
            assertEquals(30, Arrays.stream(sums).sum());
            assertEquals(List.of(2, 1, 1), counts(source));
            h.assertIdle();
        }
    }

    @Test
    void whenAJobIsCancelledWhileItsFailedTaskAwaitsRetry_thenNothingIsRelaunched() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = new TestLineage(2, List.of(), (p, ctx) -> {
                throw new IllegalStateException("always fails");
            });
            JobHandle job = h.submitSum(source, new long[2]);
            h.run(1);
            assertEquals(2, h.backend.pending(), "the other task and the retry are queued");
            job.cancel("test");
            h.barrier();
            assertEquals(0, h.backend.pending());
            assertThrows(JobCancelledException.class, job::await);
            h.assertIdle();
        }
    }

    @Test
    void whenAJobGroupIsCancelled_thenOnlyItsJobsEndAndANullGroupIsRejected() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(2, 10, 5);
            JobHandle grouped = h.scheduler.submitJob(source, new int[] {0, 1}, TestLineage.SUM_VALUES, (i, r) -> { },
                    "grouped", "g");
            long[] sums = new long[2];
            JobHandle ungrouped = h.scheduler.submitJob(source, new int[] {0, 1}, TestLineage.SUM_VALUES,
                    (i, r) -> sums[i] = r, "ungrouped", null);
            assertThrows(NullPointerException.class, () -> h.scheduler.cancelJobGroup(null, "no group"));
            h.scheduler.cancelJobGroup("g", "test");
            h.runAll();
            assertThrows(JobCancelledException.class, grouped::await);
            ungrouped.await();
            assertEquals(20, Arrays.stream(sums).sum());
            h.assertIdle();
        }
    }

    @Test
    void whenTheOnlyJobOfAMapStageIsCancelled_thenItsQueuedTasksAreCancelledToo() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage reduced = TestLineage.shuffled(TestLineage.source(4, 25, 10), h.store, 3);
            JobHandle job = h.submitSum(reduced, new long[3]);
            h.barrier();
            assertEquals(4, h.backend.pending());
            job.cancel("test");
            h.barrier();
            assertEquals(0, h.backend.pending());
            assertThrows(JobCancelledException.class, job::await);
            h.assertIdle();
        }
    }

    @Test
    void whenMapOutputIsLostBeforeReduceTasksRun_thenOnlyThatMapTaskAndTheReduceStageAreRerun() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(4, 25, 10);
            TestLineage reduced = TestLineage.shuffled(source, h.store, 3);
            long[] sums = new long[3];
            JobHandle job = h.submitSum(reduced, sums);
            h.run(4);
            assertEquals(3, h.backend.pending(), "the reduce stage is queued");
            h.store.removeMapOutput(reduced.shuffleId(0), 1);
            h.runAll();
            job.await();
            assertEquals(100, Arrays.stream(sums).sum());
            assertEquals(List.of(1, 2, 1, 1), counts(source));
            List<SchedulerEvent.StageSubmitted> submitted = h.events(SchedulerEvent.StageSubmitted.class);
            assertEquals(List.of(0, 0, 1, 1), submitted.stream().map(e -> e.stage().attempt()).collect(Collectors.toList()),
                    "map, reduce, map again (attempt 1), reduce again (attempt 1)");
            h.assertIdle();
        }
    }

    @Test
    void whenAMapStageFindsItsOwnShuffleInputMissing_thenTheUpstreamMapTaskIsRerunAndTheChainCompletes() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(3, 10, 6);
            TestLineage first = TestLineage.shuffled(source, h.store, 2);
            TestLineage second = TestLineage.shuffled(first, h.store, 2);
            long[] sums = new long[2];
            JobHandle job = h.submitSum(second, sums);
            h.run(3); // the first map stage
            assertEquals(2, h.backend.pending(), "the second map stage is queued");
            h.store.removeMapOutput(first.shuffleId(0), 2); // the shuffle the second map stage reads
            h.runAll();
            job.await();
            assertEquals(30, Arrays.stream(sums).sum());
            assertEquals(List.of(1, 1, 2), counts(source));
            assertTrue(h.events(SchedulerEvent.StageCompleted.class).stream()
                    .anyMatch(e -> "missing shuffle output".equals(e.failureReason())));
            h.assertIdle();
        }
    }

    /**
     * Bug: attempt numbers counted failures, so after a stage was resubmitted for lost shuffle input
     * the new attempt of a partition reused the number of the killed one, which may still be running
     * and writing files named after it (text output's attempt directories).
     */
    @Test
    void attemptNumbersStayUniquePerPartitionWhenAStageIsResubmitted() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage reduced = TestLineage.shuffled(TestLineage.source(4, 25, 10), h.store, 3);
            JobHandle job = h.submitSum(reduced, new long[3]);
            h.run(4);
            h.store.removeMapOutput(reduced.shuffleId(0), 3);
            h.runAll();
            job.await();
            List<String> attempts = h.events(SchedulerEvent.TaskEnd.class).stream()
                    .map(e -> e.stageId() + "/" + e.task().partition() + "/" + e.task().attempt())
                    .collect(Collectors.toList());
            assertEquals(attempts.size(), new java.util.HashSet<>(attempts).size(), "duplicates in " + attempts);
            assertTrue(h.events(SchedulerEvent.TaskEnd.class).stream()
                    .anyMatch(e -> e.succeeded() && e.task().attempt() == 1), "the rerun is attempt 1: " + attempts);
            h.assertIdle();
        }
    }

    /**
     * Bug: a stage waiting for two parent shuffles waited forever when the output of the parent that
     * had already finished was lost before the other finished: the lost parent was neither running
     * nor waiting, so nothing ever resubmitted it.
     */
    @Test
    void lostOutputOfAFinishedParentWhileTheChildWaitsForAnotherParentIsRecomputed() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage left = TestLineage.source(2, 10, 7);
            TestLineage right = TestLineage.source(3, 10, 7);
            TestLineage both = TestLineage.shuffled(List.of(left, right), h.store, 2);
            long[] sums = new long[2];
            JobHandle job = h.submitSum(both, sums);
            h.run(2); // the left map stage, queued first, finishes
            h.store.removeMapOutput(both.shuffleId(0), 0);
            h.runAll();
            assertTrue(job.isDone(), "the job must not wait forever");
            job.await();
            assertEquals(50, Arrays.stream(sums).sum());
            assertEquals(List.of(2, 1), counts(left));
            assertEquals(List.of(1, 1, 1), counts(right));
            h.assertIdle();
        }
    }

    /**
     * Bug: an exception from a lineage method after the job was planned (when a stage finished and
     * the scheduler looked for waiting stages to submit, or resubmitted one) escaped the event
     * handler and left the job waiting forever; a failure late in planning also posted JobStart twice.
     */
    @Test
    void lineageMethodsThrowingAtAnyCallFailOnlyTheirJobAndNeverHang() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            for (int node = 0; node < 2; node++) {
                for (int call = 1; call <= 8; call++) {
                    TestLineage source = TestLineage.source(3, 10, 5);
                    TestLineage first = TestLineage.shuffled(source, h.store, 2);
                    TestLineage second = TestLineage.shuffled(first, h.store, 2);
                    (node == 0 ? first : second).failOnCall = call;
                    long[] sums = new long[2];
                    int jobStartsBefore = h.events(SchedulerEvent.JobStart.class).size();
                    JobHandle job = h.submitSum(second, sums);
                    h.runAll();
                    String where = "node " + node + ", failing call " + call;
                    assertTrue(job.isDone(), "job hangs: " + where);
                    try {
                        job.await();
                        assertEquals(30, Arrays.stream(sums).sum(), where);
                    } catch (JobFailedException e) {
                        assertInstanceOf(IllegalStateException.class, e.getCause(), where);
                        assertTrue(e.getCause().getMessage().contains("dependencies() fails"), where);
                    }
                    assertEquals(1, h.events(SchedulerEvent.JobStart.class).size() - jobStartsBefore,
                            "one JobStart per job: " + where);
                    h.assertIdle();
                }
            }
            long[] sums = new long[2];
            JobHandle clean = h.submitSum(TestLineage.shuffled(TestLineage.source(2, 5, 3), h.store, 2), sums);
            h.runAll();
            clean.await();
            assertEquals(10, Arrays.stream(sums).sum());
        }
    }

    /**
     * Bug: an Error thrown by a task completion listener escaped the task runner, so the attempt never
     * reported an outcome and its job waited forever.
     */
    @Test
    void anErrorFromATaskCompletionListenerFailsTheAttemptInsteadOfLosingIt() {
        try (SchedulerHarness h = new SchedulerHarness(2)) {
            TestLineage source = new TestLineage(2, List.of(), (p, ctx) -> {
                if (p == 0) {
                    ctx.addCompletionListener(() -> {
                        throw new AssertionError("completion listener of partition 0");
                    });
                }
                return List.of(new java.util.AbstractMap.SimpleEntry<>(p, 1)).iterator();
            });
            JobHandle job = h.submitSum(source, new long[2]);
            h.runAll();
            assertTrue(job.isDone(), "the job must end");
            JobFailedException e = assertThrows(JobFailedException.class, job::await);
            assertInstanceOf(AssertionError.class, e.getCause());
            assertEquals(2, h.events(SchedulerEvent.TaskEnd.class).stream()
                    .filter(t -> t.task().partition() == 0 && !t.succeeded()).count());
            h.assertIdle();
        }
    }

    /**
     * Bug guard: an interrupt left on an executor thread (by cancelling a previous attempt just as it
     * ended) must not kill the next attempt that thread runs.
     */
    @Test
    void aStrayInterruptOnTheExecutorThreadDoesNotFailTheNextTask() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(2, 10, 5);
            long[] sums = new long[2];
            JobHandle job = h.submitSum(source, sums);
            h.barrier();
            Thread.currentThread().interrupt();
            h.backend.runNext();
            h.runAll();
            job.await();
            assertEquals(20, Arrays.stream(sums).sum());
            assertTrue(h.events(SchedulerEvent.TaskEnd.class).stream().allMatch(SchedulerEvent.TaskEnd::succeeded));
            assertEquals(List.of(1, 1), counts(source));
            h.assertIdle();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void whenATaskFailsOnce_thenOnlyItIsRetriedWithTheNextAttemptNumber() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            AtomicInteger failures = new AtomicInteger();
            TestLineage source = new TestLineage(3, List.of(), (p, ctx) -> {
                if (p == 1 && ctx.attemptNumber() == 0) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("first attempt of partition 1");
                }
                return List.of(new java.util.AbstractMap.SimpleEntry<>(p, p + 1)).iterator();
            });
            long[] sums = new long[3];
            JobHandle job = h.submitSum(source, sums);
            h.runAll();
            job.await();
            assertArrayEquals(new long[] {1, 2, 3}, sums);
            assertEquals(1, failures.get());
            assertEquals(List.of(1, 2, 1), counts(source));
            h.assertIdle();
        }
    }

    @Test
    void whenJobPartitionsRepeat_thenSubmitRejectsThemNamingTheRepeat() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(2, 10, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.scheduler.submitJob(
                    source, new int[] {0, 1, 0}, TestLineage.SUM_VALUES, (i, r) -> { }, "repeats", null));
            assertTrue(e.getMessage().contains("repeat 0"), e.getMessage());
            h.assertIdle();
        }
    }

    @Test
    void whenAJobHasNoPartitions_thenItSucceedsWithoutTouchingTheLineageOrLaunchingTasks() {
        try (SchedulerHarness h = new SchedulerHarness(4)) {
            TestLineage source = TestLineage.source(2, 10, 5);
            TestLineage reduced = TestLineage.shuffled(source, h.store, 2);
            reduced.failOnCall = 1;
            JobHandle job = h.scheduler.submitJob(reduced, new int[0], TestLineage.SUM_VALUES, (i, r) -> { },
                    "nothing", null);
            h.runAll();
            job.await();
            assertEquals(0, h.backend.launched());
            assertEquals(List.of(), h.events(SchedulerEvent.JobStart.class).get(0).stageIds());
            h.assertIdle();
        }
    }

    @Test
    void whenAJobIsSubmittedAfterClose_thenItFailsAsCancelled() {
        SchedulerHarness h = new SchedulerHarness(4);
        h.close();
        JobHandle job = h.submitSum(TestLineage.source(2, 10, 5), new long[2]);
        JobCancelledException e = assertThrows(JobCancelledException.class, job::await);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static List<Integer> counts(TestLineage node) {
        return Arrays.stream(node.computed).map(AtomicInteger::get).collect(Collectors.toList());
    }
}
