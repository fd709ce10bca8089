package dev.kindling;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.rdd.ShuffledRDD;
import dev.kindling.internal.scheduler.AccumulatorReference;
import dev.kindling.internal.scheduler.backend.TaskBytes;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accumulators: built-in and user-defined kinds, the counting rule under failures and re-runs. */
@ExtendWith(LocalContext.class)
class AccumulatorTest {

    private static final List<Integer> DATA = IntStream.rangeClosed(1, 1000).boxed().toList();
    private static final long SUM = DATA.stream().mapToLong(x -> x).sum();

    /** A user-defined accumulator: the largest value added. */
    static final class MaxAccumulator extends AccumulatorV2<Long, Long> {
        private long max = Long.MIN_VALUE;

        @Override
        public boolean isZero() {
            return max == Long.MIN_VALUE;
        }

        @Override
        public MaxAccumulator copy() {
            MaxAccumulator c = new MaxAccumulator();
            c.max = max;
            return c;
        }

        @Override
        public void reset() {
            max = Long.MIN_VALUE;
        }

        @Override
        public void add(Long v) {
            max = Math.max(max, v);
        }

        @Override
        public void merge(AccumulatorV2<Long, Long> other) {
            max = Math.max(max, ((MaxAccumulator) other).max);
        }

        @Override
        public Long value() {
            return max;
        }
    }

    /** A user-defined accumulator: the distinct strings added. */
    static final class SetAccumulator extends AccumulatorV2<String, Set<String>> {
        private HashSet<String> set = new HashSet<>();

        @Override
        public boolean isZero() {
            return set.isEmpty();
        }

        @Override
        public SetAccumulator copy() {
            SetAccumulator c = new SetAccumulator();
            c.set = new HashSet<>(set);
            return c;
        }

        @Override
        public void reset() {
            set = new HashSet<>();
        }

        @Override
        public void add(String v) {
            set.add(v);
        }

        @Override
        public void merge(AccumulatorV2<String, Set<String>> other) {
            set.addAll(((SetAccumulator) other).set);
        }

        @Override
        public Set<String> value() {
            return new TreeSet<>(set);
        }
    }

    /**
     * The copy a registered accumulator ships into a task's bytes names its id, which is how a task
     * description learns the accumulators its task can update (the scheduler records every
     * reference written while it serializes a stage's binary).
     */
    @Test
    void whenATaskBinaryIsSerialized_thenItsAccumulatorsAreNamedByIdAndNoOthers(KindlingContext kc) throws Exception {
        LongAccumulator counted = kc.longAccumulator("counted");
        CollectionAccumulator<String> seenWords = kc.collectionAccumulator();
        LongAccumulator unused = kc.longAccumulator("unused");
        List<Long> ids = new ArrayList<>();
        TaskBytes.serialize(new ArrayList<Object>(List.of(counted, "x", seenWords, counted)), o -> {
            if (o instanceof AccumulatorReference a) {
                ids.add(a.id());
            }
        });
        assertEquals(new TreeSet<>(List.of(counted.id(), seenWords.id())), new TreeSet<>(ids));
        assertFalse(ids.contains(unused.id()));
    }

    @Test
    void longAccumulatorSumsCountsAndAveragesWhatTasksAdd(KindlingContext kc) {
        LongAccumulator acc = kc.longAccumulator();
        kc.parallelize(DATA, 4).foreach(acc::add);
        assertEquals(SUM, acc.sum());
        assertEquals(SUM, acc.value());
        assertEquals(DATA.size(), acc.count());
        assertEquals(DATA.stream().mapToLong(x -> x).average().orElseThrow(), acc.avg(), 1e-12);
    }

    @Test
    void doubleAccumulatorSumsWhatTasksAdd(KindlingContext kc) {
        DoubleAccumulator acc = kc.doubleAccumulator("halves");
        kc.parallelize(DATA, 3).foreach(x -> acc.add(x / 2.0));
        assertEquals(DATA.stream().mapToDouble(x -> x / 2.0).sum(), acc.sum(), 1e-9);
        assertEquals(DATA.size(), acc.count());
        assertEquals(Optional.of("halves"), acc.name());
    }

    @Test
    void collectionAccumulatorCollectsEveryValueOnce(KindlingContext kc) {
        CollectionAccumulator<Integer> acc = kc.collectionAccumulator();
        kc.parallelize(DATA, 5).filter(x -> x % 7 == 0).foreach(acc::add);
        assertEquals(DATA.stream().filter(x -> x % 7 == 0).toList(), acc.value().stream().sorted().toList());
    }

    @Test
    void namedAccumulatorsKeepTheirNameAndShowIt(KindlingContext kc) {
        LongAccumulator named = kc.longAccumulator("bad records");
        LongAccumulator anonymous = kc.longAccumulator();
        named.add(3);
        assertEquals(Optional.of("bad records"), named.name());
        assertEquals(Optional.empty(), anonymous.name());
        assertEquals("LongAccumulator(id: " + named.id() + ", name: bad records, value: 3)", named.toString());
        assertTrue(anonymous.id() != named.id());
    }

    @Test
    void userDefinedAccumulatorsMergeTheirOwnWay(KindlingContext kc) {
        MaxAccumulator max = kc.register(new MaxAccumulator(), "max");
        SetAccumulator words = kc.register(new SetAccumulator());
        List<String> text = List.of("b", "a", "c", "a", "b", "d", "a");
        kc.parallelize(DATA, 4).foreach(x -> max.add((long) x * 3));
        kc.parallelize(text, 3).foreach(words::add);
        assertEquals(DATA.stream().mapToLong(x -> x * 3L).max().orElseThrow(), max.value());
        assertEquals(new TreeSet<>(text), words.value());
    }

    @Test
    void onTheDriverAddUpdatesTheValueDirectly(KindlingContext kc) {
        LongAccumulator acc = kc.longAccumulator();
        acc.add(5);
        acc.add(7L);
        assertEquals(12, acc.sum());
        assertEquals(2, acc.count());
    }

    @Test
    void theValueReadRightAfterAnActionIncludesEveryUpdateOfThatAction(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(DATA, 4);
        for (int round = 1; round <= 30; round++) {
            LongAccumulator acc = kc.longAccumulator();
            rdd.foreach(acc::add);
            assertEquals(SUM, acc.sum(), "round " + round);
            long count = rdd.map(x -> {
                acc.add(1);
                return x;
            }).count();
            assertEquals(SUM + count, acc.sum(), "round " + round);
        }
    }

    @Test
    void whenActionTasksFailAfterAdding_thenEachPartitionCountsExactlyOnce(KindlingContext kc) {
        LongAccumulator acc = kc.longAccumulator();
        kc.parallelize(DATA, 4).foreachPartition(it -> {
            while (it.hasNext()) {
                acc.add(it.next());
            }
            if (TaskContext.get().attemptNumber() < 2) {
                throw new IllegalStateException("injected failure after adding");
            }
        });
        assertEquals(SUM, acc.sum());
        assertEquals(DATA.size(), acc.count());
    }

    @Test
    void whenTransformationTasksFailAfterAdding_thenOnlySuccessfulAttemptsCount(KindlingContext kc) {
        LongAccumulator seen = kc.longAccumulator();
        PairRDD<Integer, Integer> keyed = kc.parallelize(DATA, 4).mapPartitions(it -> {
            List<Integer> out = new ArrayList<>();
            while (it.hasNext()) {
                seen.add(1);
                out.add(it.next());
            }
            if (TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure after adding");
            }
            return out.iterator();
        }).mapToPair(x -> Pair.of(x % 10, x));
        List<Pair<Integer, Integer>> sums = keyed.reduceByKey(Integer::sum).collect();
        assertEquals(SUM, sums.stream().mapToLong(Pair::value).sum());
        assertEquals(DATA.size(), seen.sum());
    }

    @Test
    void updatesFromCombineFunctionsOnBothSidesOfAShuffleCount(KindlingContext kc) {
        LongAccumulator merges = kc.longAccumulator();
        List<Pair<Integer, Integer>> sums = kc.parallelize(DATA, 4).mapToPair(x -> Pair.of(x % 10, x))
                .reduceByKey((a, b) -> {
                    merges.add(1);
                    return a + b;
                }).collect();
        assertEquals(10, sums.size());
        // Every merge, map-side or reduce-side, turns two partial values into one: N values end as K.
        assertEquals(DATA.size() - sums.size(), merges.sum());
    }

    @Test
    void whenATransformationIsRecomputed_thenItsUpdatesCountAgain(KindlingContext kc) {
        LongAccumulator seen = kc.longAccumulator();
        RDD<Integer> mapped = kc.parallelize(DATA, 4).map(x -> {
            seen.add(1);
            return x;
        });
        mapped.count();
        mapped.count();
        assertEquals(2L * DATA.size(), seen.sum());
    }

    @Test
    void whenALostMapOutputIsRecomputed_thenThatPartitionsMapSideUpdatesCountAgain(KindlingContext kc) {
        LongAccumulator seen = kc.longAccumulator();
        LongAccumulator reduced = kc.longAccumulator();
        PairRDD<Integer, Integer> sums = kc.parallelize(DATA, 4).map(x -> {
            seen.add(1);
            return x;
        }).mapToPair(x -> Pair.of(x % 10, x)).reduceByKey(Integer::sum);
        RDD<Pair<Integer, Integer>> result = sums.rdd();
        result.foreach(kv -> reduced.add(kv.value()));
        assertEquals(DATA.size(), seen.sum());
        result.foreach(kv -> reduced.add(kv.value()));
        assertEquals(DATA.size(), seen.sum(), "the map stage was skipped: its output was still there");
        int shuffleId = ((ShuffledRDD<?, ?, ?>) result).shuffleId();
        ContextInternals.of(kc).shuffleStore().removeMapOutput(shuffleId, 1);
        result.foreach(kv -> reduced.add(kv.value()));
        assertEquals(DATA.size() + DATA.size() / 4, seen.sum(), "map partition 1 (250 elements) ran again");
        assertEquals(3 * SUM, reduced.sum(), "each action counted its own updates once");
    }

    @Test
    void whenAResultTaskSucceedsASecondTime_thenItsUpdatesAreIgnored() {
        try (ContextCleaner cleaner = new ContextCleaner("accumulator-test")) {
            Accumulators registry = new Accumulators(cleaner);
            LongAccumulator acc = registry.register(new LongAccumulator(), null);
            Map<Long, Object> first = taskWithUpdate(acc, 5);
            Map<Long, Object> second = taskWithUpdate(acc, 5);
            registry.onTaskSucceeded(first, "first", true, true);
            registry.onTaskSucceeded(second, "second", true, false);
            assertEquals(5, acc.sum());
            registry.onTaskSucceeded(taskWithUpdate(acc, 2), "map 1", false, true);
            registry.onTaskSucceeded(taskWithUpdate(acc, 2), "map 2", false, true);
            assertEquals(9, acc.sum(), "map-side updates count on every successful attempt");
            registry.close();
        }
    }

    @Test
    void whenTheProgramDropsAnAccumulator_thenItsRegistryEntryIsRemoved(KindlingContext kc) throws Exception {
        LongAccumulator kept = kc.longAccumulator("kept");
        long droppedId = registerAndUse(kc);
        assertTrue(ContextCleanerTest.gcUntil(() -> !kc.accumulators().hasEntry(droppedId)),
                "the registry still holds an entry for a collected accumulator");
        assertTrue(kc.accumulators().hasEntry(kept.id()));
    }

    /** Registers an accumulator, counts with it in a job, and returns only its id. */
    private static long registerAndUse(KindlingContext kc) {
        LongAccumulator dropped = kc.longAccumulator("dropped");
        kc.parallelize(DATA, 2).foreach(x -> dropped.add(1));
        assertEquals(DATA.size(), dropped.sum());
        return dropped.id();
    }

    /** The accumulator updates a task's status update carries: its copy of {@code acc}, holding {@code amount}. */
    private static Map<Long, Object> taskWithUpdate(LongAccumulator acc, long amount) {
        LongAccumulator copy = (LongAccumulator) acc.copyAndReset();
        copy.add(amount);
        return Map.of(acc.id(), copy);
    }

    @Test
    void concurrentJobsAndDriverAddsUpdatingOneAccumulatorLoseNothing(KindlingContext kc) throws Exception {
        LongAccumulator acc = kc.longAccumulator();
        RDD<Integer> rdd = kc.parallelize(DATA, 4);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        rdd.foreach(acc::add);
                    }
                }));
            }
            for (int i = 0; i < 10_000; i++) {
                acc.add(1);
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(15 * SUM + 10_000, acc.sum());
        assertEquals(15L * DATA.size() + 10_000, acc.count());
    }

    @Test
    void whenTasksShareTheDriversObjects_thenBuiltInAccumulatorsStillCountOncePerPartition() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, false).config(KindlingConf.TASK_MAX_FAILURES, 3).build()) {
            LongAccumulator acc = kc.longAccumulator();
            kc.parallelize(DATA, 4).foreachPartition(it -> {
                while (it.hasNext()) {
                    acc.add(it.next());
                }
                if (TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure after adding");
                }
            });
            assertEquals(SUM, acc.sum());
        }
    }

    @Test
    void oneTaskCapturingAnAccumulatorInSeveralFunctionsCountsEveryAdd(KindlingContext kc) {
        LongAccumulator acc = kc.longAccumulator();
        long evens = kc.parallelize(DATA, 4).map(x -> {
            acc.add(1);
            return x;
        }).filter(x -> {
            acc.add(1);
            return x % 2 == 0;
        }).count();
        assertEquals(DATA.stream().filter(x -> x % 2 == 0).count(), evens);
        assertEquals(2L * DATA.size(), acc.sum());
    }

    @Test
    void whenAnUnregisteredAccumulatorIsCaptured_thenTheTransformationIsRejectedWithAFix(KindlingContext kc) {
        LongAccumulator loose = new LongAccumulator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.parallelize(DATA, 2).map(x -> {
                    loose.add(1);
                    return x;
                }));
        assertTrue(e.getMessage().contains("kc.register(accumulator)"), e.getMessage());
        assertFalse(loose.isRegistered());
    }

    @Test
    void registeringTwiceIsAnError(KindlingContext kc) {
        LongAccumulator acc = kc.longAccumulator("twice");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kc.register(acc));
        assertEquals("Accumulator " + acc.id() + " (twice) is already registered; create a new accumulator "
                + "instead of registering one twice", e.getMessage());
    }

    @Test
    void mergingDifferentKindsIsAnError() {
        LongAccumulator acc = new LongAccumulator();
        assertThrows(UnsupportedOperationException.class, () -> acc.merge(new MaxAccumulator()));
    }
}
