package dev.kindling.reliability;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.internal.scheduler.JobHandle;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability figure 3: faults in driver-side user code (partitioners, result handlers, lineage
 * methods of custom RDDs, listeners) fail only the job concerned; the scheduler keeps running, the
 * next job is correct and no bookkeeping is left behind.
 */
@ExtendWith(LocalContext.class)
class DriverFaultIsolationTest {

    private static final List<Integer> DATA = IntStream.range(0, 200).boxed().collect(Collectors.toList());

    @Test
    void whenAPartitionerThrows_thenOnlyThatJobFailsWithTheUsersException(KindlingContext kc) {
        PairRDD<Integer, Integer> pairs = kc.parallelize(DATA, 4).mapToPair(x -> Pair.of(x % 10, x));
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> pairs.partitionBy(new ThrowingPartitioner(3)).collect());
        assertNotNull(Failures.find(e, InjectedFailure.class), "cause chain " + Failures.chain(e));
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenAResultHandlerThrows_thenOnlyThatJobFailsWithTheUsersException(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(DATA, 4);
        JobHandle handle = ContextInternals.of(kc).scheduler().submitJob(rdd, new int[] {0, 1, 2, 3}, (ctx, it) -> {
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        }, (index, count) -> {
            if (index == 1) {
                throw new InjectedFailure("result handler rejects partition 1");
            }
        }, "throwing result handler", null);
        JobFailedException e = assertThrows(JobFailedException.class, handle::await);
        InjectedFailure cause = Failures.find(e, InjectedFailure.class);
        assertNotNull(cause, "cause chain " + Failures.chain(e));
        assertEquals("result handler rejects partition 1", cause.getMessage());
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenACustomRddsComputeNumPartitionsThrows_thenTheActionFailsWithTheUsersException(KindlingContext kc) {
        RDD<Integer> faulty = new FaultyRDD(kc, true, false);
        RuntimeException e = assertThrows(RuntimeException.class, faulty::count);
        assertNotNull(Failures.find(e, InjectedFailure.class), "cause chain " + Failures.chain(e));
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenTheParentOfAShuffleThrowsInComputeNumPartitions_thenTheJobFailsWhilePlanningAndOthersRun(
            KindlingContext kc) {
        // The map stage is planned on the scheduler's event thread: the fault surfaces there.
        PairRDD<Integer, Integer> reduced = new FaultyRDD(kc, true, false).mapToPair(x -> Pair.of(x, 1))
                .reduceByKey(Integer::sum, 3);
        JobFailedException e = assertThrows(JobFailedException.class, reduced::collect);
        assertNotNull(Failures.find(e, InjectedFailure.class), "cause chain " + Failures.chain(e));
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenACustomRddsComputeDependenciesThrows_thenTheActionFailsWithTheUsersException(KindlingContext kc) {
        RDD<Integer> faulty = new FaultyRDD(kc, false, true);
        RuntimeException e = assertThrows(RuntimeException.class, () -> faulty.map(x -> x + 1).collect());
        assertNotNull(Failures.find(e, InjectedFailure.class), "cause chain " + Failures.chain(e));
        assertNextJobCorrectAndIdle(kc);
    }

    @Test
    void whenAListenerThrowsAnError_thenJobsStillFinishAndAreCorrect(KindlingContext kc) {
        SchedulerListener broken = new SchedulerListener() {
            @Override
            public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                throw new AssertionError("listener bug");
            }

            @Override
            public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
                throw new InjectedFailure("listener bug");
            }
        };
        kc.addListener(broken);
        assertNextJobCorrectAndIdle(kc);
        kc.removeListener(broken);
    }

    /**
     * Bug: a listener that ran a job waited on the scheduler's own event thread for an event only that
     * thread could handle, and the whole scheduler hung. Now the wait is refused with an error.
     */
    @Test
    void aListenerThatRunsAJobGetsAnErrorInsteadOfDeadlockingTheScheduler(KindlingContext kc) {
        java.util.concurrent.atomic.AtomicReference<Throwable> refused = new java.util.concurrent.atomic.AtomicReference<>();
        SchedulerListener nested = new SchedulerListener() {
            @Override
            public void onJobEnd(SchedulerEvent.JobEnd event) {
                if (refused.get() == null) {
                    try {
                        kc.parallelize(List.of(1, 2, 3), 1).count();
                    } catch (Throwable t) {
                        refused.set(t);
                    }
                }
            }
        };
        kc.addListener(nested);
        assertEquals(3L, kc.parallelize(List.of(1, 2, 3), 2).count());
        kc.removeListener(nested);
        assertNotNull(refused.get());
        assertEquals(IllegalStateException.class, refused.get().getClass(), String.valueOf(refused.get()));
        assertNextJobCorrectAndIdle(kc);
    }

    /** Runs a two-stage job, compares it with a stream reference and checks the scheduler is idle. */
    private static void assertNextJobCorrectAndIdle(KindlingContext kc) {
        Map<Integer, Integer> expected = DATA.stream().collect(Collectors.groupingBy(x -> x % 7, TreeMap::new,
                Collectors.summingInt(x -> x)));
        Map<Integer, Integer> actual = new TreeMap<>(kc.parallelize(DATA, 5).mapToPair(x -> Pair.of(x % 7, x))
                .reduceByKey(Integer::sum, 3).collectAsMap());
        assertEquals(expected, actual);
        LocalContext.assertSchedulerIdle(kc);
    }

    /** Hash partitioning that throws for key 7. */
    static final class ThrowingPartitioner extends Partitioner {
        private final int n;

        ThrowingPartitioner(int n) {
            this.n = n;
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            if (Integer.valueOf(7).equals(key)) {
                throw new InjectedFailure("getPartition(7) is broken");
            }
            return Math.floorMod(key.hashCode(), n);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ThrowingPartitioner p && p.n == n;
        }

        @Override
        public int hashCode() {
            return n;
        }
    }

    /** A source RDD of 0..9 in 2 partitions whose lineage methods can be made to throw. */
    static final class FaultyRDD extends RDD<Integer> {
        private final boolean numPartitionsThrows;
        private final boolean dependenciesThrows;

        FaultyRDD(KindlingContext kc, boolean numPartitionsThrows, boolean dependenciesThrows) {
            super(kc);
            this.numPartitionsThrows = numPartitionsThrows;
            this.dependenciesThrows = dependenciesThrows;
        }

        @Override
        protected int computeNumPartitions() {
            if (numPartitionsThrows) {
                throw new InjectedFailure("computeNumPartitions is broken");
            }
            return 2;
        }

        @Override
        protected List<Dependency> computeDependencies() {
            if (dependenciesThrows) {
                throw new InjectedFailure("computeDependencies is broken");
            }
            return List.of();
        }

        @Override
        protected Iterator<Integer> compute(int partition, TaskContext context) {
            List<Integer> out = new ArrayList<>();
            for (int i = partition * 5; i < partition * 5 + 5; i++) {
                out.add(i);
            }
            return out.iterator();
        }
    }
}
