package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability figure 7: cancelling a job group interrupts its running tasks (blocked in a sleep or
 * on a latch), fails its job with {@link JobCancelledException}, and leaves the context usable.
 */
@ExtendWith(LocalContext.class)
class JobGroupCancellationTest {

    // Task code reaches these through static fields: lambdas shipped to tasks must be serializable.
    private static volatile CountDownLatch started;
    private static volatile CountDownLatch interrupted;
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @Test
    void whenAJobGroupIsCancelled_thenBlockedTasksAreInterruptedTheJobIsCancelledAndTheContextStaysUsable(
            KindlingContext kc) throws Exception {
        started = new CountDownLatch(2);
        interrupted = new CountDownLatch(2);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<List<Integer>> job = caller.submit(() -> {
                kc.setJobGroup("blocked", "tasks that block until interrupted");
                return kc.parallelize(List.of(0, 1), 2).map(x -> {
                    started.countDown();
                    try {
                        if (x == 0) {
                            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                        } else {
                            NEVER.await();
                        }
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return x;
                }).collect();
            });
            assertTrue(started.await(30, TimeUnit.SECONDS), "both tasks should start on the two executor threads");
            kc.cancelJobGroup("blocked");
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> job.get(30, TimeUnit.SECONDS));
            assertInstanceOf(JobCancelledException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("blocked"), e.getCause().getMessage());
            assertTrue(interrupted.await(30, TimeUnit.SECONDS), "both tasks should see an InterruptedException");
        } finally {
            caller.shutdownNow();
        }
        List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        assertEquals(data.stream().mapToLong(x -> x * 2L).sum(),
                kc.parallelize(data, 4).map(x -> x * 2L).reduce(Long::sum));
        LocalContext.assertSchedulerIdle(kc);
    }

    @Test
    void whenTasksOfACancelledJobEnd_thenLaterTasksOnTheSameThreadsAreNotInterrupted(KindlingContext kc)
            throws Exception {
        // Regression guard: the interrupt that kills a task must not leak into the next task the
        // executor thread runs (which would fail it spuriously and show up as a second attempt).
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 20; round++) {
                started = new CountDownLatch(1);
                String group = "round-" + round;
                Future<?> job = caller.submit(() -> {
                    kc.setJobGroup(group, "cancelled while running");
                    return kc.parallelize(IntStream.range(0, 64).boxed().collect(Collectors.toList()), 16).map(x -> {
                        started.countDown();
                        long spin = 0;
                        for (int i = 0; i < 20_000; i++) {
                            spin += i ^ x;
                        }
                        return spin;
                    }).collect();
                });
                assertTrue(started.await(30, TimeUnit.SECONDS));
                kc.cancelJobGroup(group);
                try {
                    job.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertInstanceOf(JobCancelledException.class, e.getCause());
                }
                EventRecorder events = new EventRecorder();
                kc.addListener(events);
                List<Integer> data = IntStream.range(0, 200).boxed().collect(Collectors.toList());
                List<Boolean> interruptedAtStart = kc.parallelize(data, 8)
                        .mapPartitions(it -> List.of(Thread.currentThread().isInterrupted()).iterator()).collect();
                kc.removeListener(events);
                assertEquals(List.of(false, false, false, false, false, false, false, false), interruptedAtStart);
                // Only this job's stage: killed attempts of the cancelled job may still report their end.
                List<Integer> stages = events.of(SchedulerEvent.JobStart.class).get(0).stageIds();
                List<SchedulerEvent.TaskEnd> ends = events.of(SchedulerEvent.TaskEnd.class).stream()
                        .filter(t -> stages.contains(t.stageId())).collect(Collectors.toList());
                assertEquals(8, ends.size(), ends.toString());
                assertTrue(ends.stream().allMatch(t -> t.succeeded() && t.task().attempt() == 0),
                        "no retries after a cancel: " + ends);
            }
        } finally {
            caller.shutdownNow();
        }
        LocalContext.assertSchedulerIdle(kc);
    }
}
