package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.rdd.Iterators;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task folding a partition in {@code treeAggregate} (the loop of an iterative algorithm over a
 * cached RDD) notices a kill within {@link Iterators#KILL_CHECK_INTERVAL} calls of the user's
 * function, whether the partition is a cached in-memory block or computed on the fly; the user's
 * function never blocks here, so only the fold's own kill checks can stop it.
 */
@ExtendWith(LocalContext.class)
class FoldKillTest {

    private static final int SIZE = 200_000;
    private static final int KILL_AT = 5_000;

    // Task code reaches these through static fields: lambdas shipped to tasks must be serializable.
    private static volatile CountDownLatch reached;
    private static volatile CountDownLatch ended;
    private static final AtomicLong CALLS = new AtomicLong();
    private static final AtomicLong CALLS_AT_INTERRUPT = new AtomicLong();

    @Test
    void whenAJobFoldingACachedPartitionIsCancelled_thenTheFoldStopsWithinTheKillCheckInterval(KindlingContext kc)
            throws Exception {
        RDD<Integer> cached = kc.parallelize(data(), 1).cache();
        assertEquals(SIZE, cached.count());
        assertStopsPromptly(kc, cached, "cached");
        assertEquals(data().stream().mapToLong(x -> x).sum(),
                cached.treeAggregate(0L, (s, x) -> s + x, Long::sum), "the context and the cache still work");
        LocalContext.assertSchedulerIdle(kc);
    }

    @Test
    void whenAJobFoldingAComputedPartitionIsCancelled_thenTheFoldStopsWithinTheKillCheckInterval(KindlingContext kc)
            throws Exception {
        assertStopsPromptly(kc, kc.parallelize(data(), 1).map(x -> x), "computed");
        LocalContext.assertSchedulerIdle(kc);
    }

    private static List<Integer> data() {
        return IntStream.range(0, SIZE).boxed().collect(Collectors.toList());
    }

    private static void assertStopsPromptly(KindlingContext kc, RDD<Integer> rdd, String group) throws Exception {
        reached = new CountDownLatch(1);
        ended = new CountDownLatch(1);
        CALLS.set(0);
        CALLS_AT_INTERRUPT.set(-1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Long> job = caller.submit(() -> {
                kc.setJobGroup(group, "a fold cancelled while running");
                return rdd.treeAggregate(0L, (s, x) -> {
                    if (CALLS.incrementAndGet() == KILL_AT) {
                        CountDownLatch end = ended;
                        TaskContext.get().addCompletionListener(end::countDown);
                        reached.countDown();
                        // Busy, not blocked: an interrupt only sets the flag, the fold must look at it.
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        CALLS_AT_INTERRUPT.set(CALLS.get());
                    }
                    return s + x;
                }, Long::sum);
            });
            assertTrue(reached.await(30, TimeUnit.SECONDS), "the fold should reach record " + KILL_AT);
            kc.cancelJobGroup(group);
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(60, TimeUnit.SECONDS));
            assertInstanceOf(JobCancelledException.class, e.getCause());
            // The killed task ends on its own thread; wait for its last call before counting.
            assertTrue(ended.await(60, TimeUnit.SECONDS), "the killed task should end");
            assertTrue(CALLS_AT_INTERRUPT.get() == KILL_AT, "the task saw the interrupt: " + CALLS_AT_INTERRUPT.get());
            long after = CALLS.get() - CALLS_AT_INTERRUPT.get();
            assertTrue(after <= Iterators.KILL_CHECK_INTERVAL, group + " partition: " + after
                    + " calls after the kill, expected at most " + Iterators.KILL_CHECK_INTERVAL);
        } finally {
            caller.shutdownNow();
        }
    }
}
