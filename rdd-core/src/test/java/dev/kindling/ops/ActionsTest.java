package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Actions of {@link RDD}, each checked against java.util.stream or a hand-written loop on the same data. */
@ExtendWith(LocalContext.class)
class ActionsTest {

    private static final String SHAPES = "dev.kindling.ops.RandomData#shapes";

    /** Elements seen by foreach, from the executor threads. */
    private static final ConcurrentLinkedQueue<Integer> SEEN = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger PARTITION_CALLS = new AtomicInteger();
    private static final AtomicLong PULLED = new AtomicLong();

    @BeforeEach
    void resetCounters() {
        SEEN.clear();
        PARTITION_CALLS.set(0);
        PULLED.set(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void collectCountFirstAndIsEmptyMatchTheList(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(20, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(data, rdd.collect());
        assertEquals(data.size(), rdd.count());
        assertEquals(data.isEmpty(), rdd.isEmpty());
        if (data.isEmpty()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, rdd::first);
            assertEquals("empty collection", e.getMessage());
        } else {
            assertEquals(data.get(0), rdd.first());
        }
    }

    @Test
    void anRddWithoutPartitionsIsEmptyAndHasNoFirst(KindlingContext kc) {
        RDD<Integer> empty = kc.emptyRDD();

        assertTrue(empty.isEmpty());
        assertEquals(List.of(), empty.collect());
        assertEquals(0, empty.count());
        assertEquals("empty collection", assertThrows(UnsupportedOperationException.class, empty::first).getMessage());
        assertEquals("empty collection",
                assertThrows(UnsupportedOperationException.class, () -> empty.reduce(Integer::sum)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void takeReturnsThePrefix(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(21, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        for (int n : new int[] {0, 1, 3, 50, data.size(), data.size() + 7}) {
            assertEquals(data.subList(0, Math.min(n, data.size())), rdd.take(n), "take(" + n + ")");
        }
    }

    @Test
    void takeOneOnTenPartitionsRunsOneJobOverThePartitionAndPullsOneElement(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), 10)
                .map(x -> {
                    PULLED.incrementAndGet();
                    return x;
                });
        JobRecorder jobs = JobRecorder.on(kc);

        assertEquals(List.of(0), rdd.take(1));
        assertEquals(1, jobs.jobCount());
        assertEquals(List.of(List.of(0)), jobs.partitionsPerStage());
        assertEquals(1, PULLED.get(), "the task stops after the one element it needs");
    }

    @Test
    void takeScansFourTimesMorePartitionsEachRoundWhileNothingIsFound(KindlingContext kc) {
        // 20 partitions; only the last 5 hold data. Rounds: [0], [1..4], then 5 * 4 = 20 capped at what is left.
        List<Integer> data = IntStream.range(0, 50).boxed().collect(Collectors.toList());
        RDD<Integer> rdd = kc.union(kc.parallelize(List.of(), 15), kc.parallelize(data, 5));
        JobRecorder jobs = JobRecorder.on(kc);

        assertEquals(List.of(0, 1, 2), rdd.take(3));
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), IntStream.range(5, 20).boxed().collect(Collectors.toList())),
                jobs.partitionsPerStage());
        assertEquals(3, jobs.jobCount());
    }

    @Test
    void takeGrowsByOneAndAHalfTimesTheEstimateWhenSomethingWasFound(KindlingContext kc) {
        // 3 elements per partition. take(7): round 1 finds 3 in [0]; remaining 4 -> ceil(1.5*4*1/3) = 2 partitions.
        RDD<Integer> rdd = kc.parallelize(IntStream.range(0, 30).boxed().collect(Collectors.toList()), 10);
        JobRecorder jobs = JobRecorder.on(kc);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), rdd.take(7));
        assertEquals(List.of(List.of(0), List.of(1, 2)), jobs.partitionsPerStage());

        // 1 element per partition. take(9): [0] finds 1; ceil(1.5*8*1/1) = 12, capped at 1*4 -> [1..4];
        // then remaining 4 -> ceil(1.5*4*5/5) = 6 -> [5..10].
        jobs.reset();
        RDD<Integer> sparse = kc.parallelize(IntStream.range(0, 20).boxed().collect(Collectors.toList()), 20);
        assertEquals(IntStream.range(0, 9).boxed().collect(Collectors.toList()), sparse.take(9));
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8, 9, 10)), jobs.partitionsPerStage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void takeOrderedAndTopMatchSortedStreams(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(22, shape.size(), 500);
        RDD<Integer> rdd = shape.rdd(kc, data);
        Comparator<Integer> byLastDigit = (Comparator<Integer> & Serializable) (a, b) ->
                a % 10 != b % 10 ? Integer.compare(a % 10, b % 10) : Integer.compare(a, b);

        for (int n : new int[] {0, 1, 10, data.size() + 1}) {
            assertEquals(data.stream().sorted().limit(n).collect(Collectors.toList()), rdd.takeOrdered(n));
            assertEquals(data.stream().sorted(Comparator.reverseOrder()).limit(n).collect(Collectors.toList()), rdd.top(n));
            assertEquals(data.stream().sorted(byLastDigit).limit(n).collect(Collectors.toList()),
                    rdd.takeOrdered(n, byLastDigit));
            assertEquals(data.stream().sorted(byLastDigit.reversed()).limit(n).collect(Collectors.toList()),
                    rdd.top(n, byLastDigit));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void takeSampleReturnsExactlyNumDistinctPositions(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = IntStream.range(0, shape.size()).boxed().collect(Collectors.toList());
        RDD<Integer> rdd = shape.rdd(kc, data);

        for (int num : new int[] {0, 1, 4, shape.size() / 2, shape.size(), shape.size() + 10}) {
            List<Integer> without = rdd.takeSample(false, num, 5);
            assertEquals(Math.min(num, data.size()), without.size(), "without replacement, num=" + num);
            assertEquals(without.size(), new HashSet<>(without).size(), "no position twice");
            assertTrue(data.containsAll(without));
            assertEquals(without, rdd.takeSample(false, num, 5), "reproducible for a seed");

            List<Integer> with = rdd.takeSample(true, num, 6);
            assertEquals(data.isEmpty() ? 0 : num, with.size(), "with replacement, num=" + num);
            assertTrue(data.containsAll(with));
        }
    }

    @Test
    void takeSampleOfEverythingIsAPermutation(KindlingContext kc) {
        List<Integer> data = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Integer> all = kc.parallelize(data, 4).takeSample(false, 100, 1);

        assertFalse(all.equals(data), "shuffled");
        List<Integer> sorted = new ArrayList<>(all);
        Collections.sort(sorted);
        assertEquals(data, sorted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void reduceAndTreeReduceMatchStreamReduce(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(23, shape.size(), 1000);
        RDD<Long> rdd = shape.rdd(kc, data).map(x -> (long) x);

        if (data.isEmpty()) {
            assertThrows(UnsupportedOperationException.class, () -> rdd.reduce(Long::sum));
            assertThrows(UnsupportedOperationException.class, () -> rdd.treeReduce(Long::sum));
            return;
        }
        long sum = data.stream().mapToLong(x -> x).sum();
        assertEquals(sum, rdd.reduce(Long::sum));
        for (int depth = 1; depth <= 4; depth++) {
            assertEquals(sum, rdd.treeReduce(Long::sum, depth), "depth " + depth);
        }
        assertEquals(Collections.max(data).longValue(), rdd.reduce(Math::max));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void foldAndAggregateUseTheZeroOncePerPartitionPlusOnce(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(24, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);
        int p = shape.partitions();
        int sum = data.stream().mapToInt(x -> x).sum();

        assertEquals(sum + (p + 1), rdd.fold(1, Integer::sum));
        assertEquals(sum + 10L * (p + 1), rdd.aggregate(10L, (acc, x) -> acc + x, Long::sum));
        assertEquals(sum, rdd.fold(0, Integer::sum));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void aggregateGivesEachPartitionItsOwnCopyOfAMutableZero(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(25, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);
        ArrayList<Integer> zero = new ArrayList<>();

        ArrayList<Integer> all = rdd.aggregate(zero, (acc, x) -> {
            acc.add(x);
            return acc;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        });
        assertEquals(sorted(data), sorted(all));
        assertTrue(zero.isEmpty(), "the caller's zero is not modified");

        for (int depth = 1; depth <= 3; depth++) {
            ArrayList<Integer> tree = rdd.treeAggregate(new ArrayList<Integer>(), (acc, x) -> {
                acc.add(x);
                return acc;
            }, (a, b) -> {
                a.addAll(b);
                return a;
            }, depth);
            assertEquals(sorted(data), sorted(tree), "treeAggregate depth " + depth);
        }
        assertEquals(data.stream().mapToLong(x -> x).sum(), rdd.treeAggregate(0L, (acc, x) -> acc + x, Long::sum));
    }

    @Test
    void treeAggregateOverManyPartitionsAddsIntermediateShuffles(KindlingContext kc) {
        List<Integer> data = RandomData.ints(26, 2000, 1000);
        RDD<Integer> rdd = kc.parallelize(data, 64);
        JobRecorder jobs = JobRecorder.on(kc);

        assertEquals(data.stream().mapToLong(x -> x).sum(), rdd.treeAggregate(0L, (acc, x) -> acc + x, Long::sum, 2));
        // 64 partitions, depth 2: scale 8, one intermediate level of 8 partitions.
        assertEquals(1, jobs.shuffleMapStageCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void foreachSeesEveryElementAndForeachPartitionEveryPartition(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(27, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        // A lambda, not SEEN::add: a bound method reference would capture (and per task copy) the list.
        rdd.foreach(x -> SEEN.add(x));
        assertEquals(sorted(data), sorted(new ArrayList<>(SEEN)));

        SEEN.clear();
        rdd.foreachPartition(it -> {
            PARTITION_CALLS.incrementAndGet();
            it.forEachRemaining(x -> SEEN.add(x));
        });
        assertEquals(shape.partitions(), PARTITION_CALLS.get());
        assertEquals(sorted(data), sorted(new ArrayList<>(SEEN)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void countByValueMatchesACountingLoopIncludingNull(RandomData.Shape shape, KindlingContext kc) {
        List<String> data = RandomData.skewedPairs(28, shape.size()).stream().map(kv -> kv.key())
                .collect(Collectors.toList());
        Map<String, Long> expected = new HashMap<>();
        for (String s : data) {
            expected.merge(s, 1L, Long::sum);
        }

        assertEquals(expected, shape.rdd(kc, data).countByValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void toLocalIteratorYieldsEverythingInOrderOneJobPerPartition(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(29, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);
        JobRecorder jobs = JobRecorder.on(kc);

        Iterator<Integer> it = rdd.toLocalIterator();
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(out::add);

        assertEquals(data, out);
        assertEquals(shape.partitions(), jobs.jobCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void minAndMaxMatchTheStream(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(30, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);
        Comparator<Integer> natural = Comparator.naturalOrder();

        if (data.isEmpty()) {
            assertThrows(UnsupportedOperationException.class, () -> rdd.min(natural));
            assertThrows(UnsupportedOperationException.class, () -> rdd.max(natural));
        } else {
            assertEquals(Collections.min(data), rdd.min(natural));
            assertEquals(Collections.max(data), rdd.max(natural));
        }
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
