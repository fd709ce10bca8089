package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RDD#countAsync()}, {@link RDD#collectAsync()}, {@link RDD#takeAsync}, {@link RDD#foreachAsync} and cancelling them. */
@ExtendWith(LocalContext.class)
class AsyncActionsTest {

    // Task code reaches these through static fields: lambdas shipped to tasks must be serializable.
    private static volatile CountDownLatch started;
    private static volatile CountDownLatch sawKill;
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private static final long GUARD_S = 60; // hang guard only, never a timing assertion

    @Test
    void asyncResultsEqualTheSynchronousActions(KindlingContext kc) throws Exception {
        List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        RDD<Integer> rdd = kc.parallelize(data, 7).filter(x -> x % 3 != 0);
        List<Integer> expected = data.stream().filter(x -> x % 3 != 0).collect(Collectors.toList());

        FutureAction<Long> count = rdd.countAsync();
        assertEquals((long) expected.size(), count.get(GUARD_S, TimeUnit.SECONDS));
        assertTrue(count.isDone());
        assertFalse(count.isCancelled());
        assertEquals(1, count.jobIds().size(), count.toString());

        assertEquals(expected, rdd.collectAsync().get(GUARD_S, TimeUnit.SECONDS));
        assertEquals(rdd.collect(), rdd.collectAsync().get(GUARD_S, TimeUnit.SECONDS));
        for (int n : new int[] {0, 1, 5, 400, 5000}) {
            assertEquals(expected.subList(0, Math.min(n, expected.size())),
                    rdd.takeAsync(n).get(GUARD_S, TimeUnit.SECONDS), "takeAsync(" + n + ")");
        }

        LongAccumulator sum = kc.longAccumulator("sum");
        FutureAction<Void> each = rdd.foreachAsync(x -> sum.add(x));
        assertNull(each.get(GUARD_S, TimeUnit.SECONDS));
        assertEquals(expected.stream().mapToLong(Integer::longValue).sum(), sum.value());

        PairRDD<Integer, Integer> pairs = rdd.mapToPair(x -> Pair.of(x % 5, x));
        assertEquals(pairs.collect(), pairs.collectAsync().get(GUARD_S, TimeUnit.SECONDS));
        assertEquals(pairs.count(), pairs.countAsync().get(GUARD_S, TimeUnit.SECONDS));
        assertEquals(pairs.take(17), pairs.takeAsync(17).get(GUARD_S, TimeUnit.SECONDS));

        DoubleRDD doubles = rdd.mapToDouble(x -> x / 4.0);
        assertEquals(doubles.collect(), doubles.collectAsync().get(GUARD_S, TimeUnit.SECONDS));
        assertEquals((long) expected.size(), doubles.countAsync().get(GUARD_S, TimeUnit.SECONDS));
        assertEquals(expected.subList(0, 3).stream().map(x -> x / 4.0).collect(Collectors.toList()),
                doubles.takeAsync(3).get(GUARD_S, TimeUnit.SECONDS));
        DoubleAccumulator total = kc.doubleAccumulator("total");
        doubles.foreachAsync(x -> total.add(x)).get(GUARD_S, TimeUnit.SECONDS);
        assertEquals(expected.stream().mapToDouble(x -> x / 4.0).sum(), total.value(), 1e-9);
    }

    @Test
    void aFailingActionReportsTheTasksErrorAsCause(KindlingContext kc) {
        FutureAction<Long> count = kc.range(0, 10).map(x -> {
            if (x == 7) {
                throw new IllegalStateException("bad record 7");
            }
            return x;
        }).countAsync();
        ExecutionException e = assertThrows(ExecutionException.class, () -> count.get(GUARD_S, TimeUnit.SECONDS));
        assertInstanceOf(JobFailedException.class, e.getCause());
        assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
        assertEquals("bad record 7", e.getCause().getCause().getMessage());
        assertFalse(count.isCancelled());
    }

    @Test
    void cancellingKillsTheBlockedTasksAndTheContextRunsTheNextJob(KindlingContext kc) throws Exception {
        started = new CountDownLatch(2);
        sawKill = new CountDownLatch(2);
        FutureAction<List<Integer>> blocked = kc.parallelize(List.of(0, 1), 2).map(x -> {
            started.countDown();
            try {
                NEVER.await();
            } catch (InterruptedException e) {
                if (TaskContext.get().isKilled()) {
                    sawKill.countDown();
                }
                throw e;
            }
            return x;
        }).collectAsync();
        assertTrue(started.await(GUARD_S, TimeUnit.SECONDS), "both tasks should start on the two executor threads");
        assertFalse(blocked.isDone());
        assertEquals(1, blocked.jobIds().size());

        assertTrue(blocked.cancel(true));
        assertTrue(blocked.isCancelled());
        assertTrue(blocked.isDone());
        assertFalse(blocked.cancel(true), "a second cancel does nothing");
        CancellationException e = assertThrows(CancellationException.class, () -> blocked.get(GUARD_S, TimeUnit.SECONDS));
        assertInstanceOf(JobCancelledException.class, e.getCause(), "the job was cancelled: " + e);
        assertTrue(sawKill.await(GUARD_S, TimeUnit.SECONDS), "both tasks should be interrupted and marked killed");

        List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        assertEquals(data.stream().mapToLong(x -> x * 2L).sum(),
                kc.parallelize(data, 4).map(x -> x * 2L).reduce(Long::sum));
        assertEquals(1000L, kc.parallelize(data, 4).countAsync().get(GUARD_S, TimeUnit.SECONDS));
        LocalContext.assertSchedulerIdle(kc);
    }

    @Test
    void cancellingATakeAsyncCancelsItsLaterJobAndItSubmitsNoMore(KindlingContext kc) throws Exception {
        started = new CountDownLatch(1);
        sawKill = new CountDownLatch(1);
        // 3 elements in 4 slices: partition 0 is empty, so take(1) needs a second job, whose tasks block.
        RDD<Integer> rdd = kc.parallelize(List.of(1, 2, 3), 4);
        assertEquals(List.of(List.of(), List.of(1), List.of(2), List.of(3)), rdd.glom().collect());
        FutureAction<List<Integer>> take = rdd.map(x -> {
            started.countDown();
            try {
                NEVER.await();
            } catch (InterruptedException e) {
                if (TaskContext.get().isKilled()) {
                    sawKill.countDown();
                }
                throw e;
            }
            return x;
        }).takeAsync(1);
        assertTrue(started.await(GUARD_S, TimeUnit.SECONDS), "the second job's tasks should start");
        assertTrue(take.cancel(true));
        assertThrows(CancellationException.class, () -> take.get(GUARD_S, TimeUnit.SECONDS));
        assertTrue(sawKill.await(GUARD_S, TimeUnit.SECONDS), "the running task should be killed");
        assertEquals(2, take.jobIds().size(), "an empty first partition, then the cancelled job: " + take);
        assertEquals(List.of(1), rdd.take(1));
        LocalContext.assertSchedulerIdle(kc);
    }

    @Test
    void theActionsThreadStartsWithTheCallersLocalProperties(KindlingContext kc) throws Exception {
        kc.setLocalProperty("team", "blue");
        try {
            assertEquals(List.of("blue"), kc.range(0, 6).map(x -> TaskContext.get().getLocalProperty("team"))
                    .distinct().collectAsync().get(GUARD_S, TimeUnit.SECONDS));
        } finally {
            kc.setLocalProperty("team", null);
        }
    }
}
