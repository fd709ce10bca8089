package dev.kindling.reliability;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.internal.scheduler.JobHandle;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler's event loop never drops an event because its handler threw: even an Error whose
 * {@code getMessage()} throws too (so that building the error message or logging it fails) fails
 * the job concerned with the Error as cause, or is ignored where the rule says so (listeners), and
 * the next job runs. Before, such events were dropped and their jobs waited forever.
 */
@ExtendWith(LocalContext.class)
class EventHandlerFailureTest {

    private static final List<Integer> DATA = IntStream.range(0, 200).boxed().collect(Collectors.toList());

    /** An Error whose message (and so toString() and printStackTrace()) throws. */
    static final class PoisonedError extends Error {
        PoisonedError() {
            super();
        }

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage() of PoisonedError is broken too");
        }
    }

    @Test
    void whenAResultHandlerThrowsAnErrorWhoseMessageThrows_thenTheJobFailsWithItAsCause(KindlingContext kc) {
        JobHandle handle = ContextInternals.of(kc).scheduler().submitJob(kc.parallelize(DATA, 4), new int[] {0, 1, 2, 3},
                (ctx, it) -> 1, (index, one) -> {
                    if (index == 2) {
                        throw new PoisonedError();
                    }
                }, "poisoned result handler", null);
        JobFailedException e = awaitFailure(handle);
        assertNotNull(Failures.find(e, PoisonedError.class), () -> "no PoisonedError in the cause chain of " + e.getMessage());
        assertTrue(e.getMessage().contains("result handler") && e.getMessage().contains(PoisonedError.class.getName()),
                e.getMessage());
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenAPartitionerThrowsAnErrorWhoseMessageThrowsWhilePlanning_thenTheJobFailsWithItAsCause(
            KindlingContext kc) {
        PairRDD<Integer, Integer> pairs = kc.parallelize(DATA, 4).mapToPair(x -> Pair.of(x % 10, x));
        RDD<Pair<Integer, Integer>> shuffled = pairs.partitionBy(new Partitioner() {
            @Override
            public int numPartitions() {
                throw new PoisonedError();
            }

            @Override
            public int getPartition(Object key) {
                return 0;
            }

            @Override
            public boolean equals(Object other) {
                return other == this;
            }

            @Override
            public int hashCode() {
                return 1;
            }
        }).rdd();
        JobHandle handle = ContextInternals.of(kc).scheduler().submitJob(shuffled, new int[] {0}, (ctx, it) -> 1, (index, one) -> { },
                "poisoned partitioner", null);
        JobFailedException e = awaitFailure(handle);
        assertNotNull(Failures.find(e, PoisonedError.class), () -> "no PoisonedError in the cause chain of " + e.getMessage());
        assertTrue(e.getMessage().contains(PoisonedError.class.getName()), e.getMessage());
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenAListenerThrowsAnErrorWhoseMessageThrows_thenItIsIgnoredAndJobsFinish(KindlingContext kc) {
        SchedulerListener poisoned = new SchedulerListener() {
            @Override
            public void onJobStart(SchedulerEvent.JobStart event) {
                throw new PoisonedError();
            }

            @Override
            public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                throw new PoisonedError();
            }
        };
        kc.addListener(poisoned);
        try {
            JobHandle handle = ContextInternals.of(kc).scheduler().submitJob(kc.parallelize(DATA, 4), new int[] {0, 1, 2, 3},
                    (ctx, it) -> 1, (index, one) -> { }, "job with a poisoned listener", null);
            await(handle);
            assertNextJobCorrectAndIdle(kc);
        } finally {
            kc.removeListener(poisoned);
        }
    }

    /** Waits for a job that must end; a job left waiting (a dropped event) fails the test instead of hanging it. */
    private static void await(JobHandle handle) {
        try {
            CompletableFuture.runAsync(handle::await).get(2, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            fail("job " + handle.jobId() + " never ended: an event was dropped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            fail(e.getCause());
        }
    }

    private static JobFailedException awaitFailure(JobHandle handle) {
        try {
            await(handle);
        } catch (RuntimeException e) {
            return assertInstanceOf(JobFailedException.class, e);
        }
        return fail("job " + handle.jobId() + " succeeded");
    }

    private static void assertNextJobCorrectAndIdle(KindlingContext kc) {
        Map<Integer, Integer> expected = DATA.stream().collect(Collectors.groupingBy(x -> x % 7, TreeMap::new,
                Collectors.summingInt(x -> x)));
        Map<Integer, Integer> actual = new TreeMap<>(kc.parallelize(DATA, 5).mapToPair(x -> Pair.of(x % 7, x))
                .reduceByKey(Integer::sum, 3).collectAsMap());
        assertEquals(expected, actual);
        LocalContext.assertSchedulerIdle(kc);
    }
}
