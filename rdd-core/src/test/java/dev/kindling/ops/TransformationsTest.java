package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.DoubleRDD;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Narrow and wide transformations of {@link RDD}, each checked against java.util.stream on the same data. */
@ExtendWith(LocalContext.class)
class TransformationsTest {

    private static final String SHAPES = "dev.kindling.ops.RandomData#shapes";

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void mapFilterFlatMapMatchStreamsInOrder(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(1, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(data.stream().map(x -> x * 3 + 1).collect(Collectors.toList()), rdd.map(x -> x * 3 + 1).collect());
        assertEquals(data.stream().filter(x -> x % 3 == 0).collect(Collectors.toList()),
                rdd.filter(x -> x % 3 == 0).collect());
        assertEquals(data.stream().flatMap(x -> Collections.nCopies(x % 3, x).stream()).collect(Collectors.toList()),
                rdd.flatMap(x -> Collections.nCopies(x % 3, x).iterator()).collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void glomAndMapPartitionsSeeExactlyTheSlices(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(2, shape.size(), 1000);
        List<List<Integer>> expected = shape.partitionsOf(data);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(shape.partitions(), rdd.getNumPartitions());
        assertEquals(expected, rdd.glom().collect());
        assertEquals(expected.stream().map(p -> p.stream().mapToLong(x -> x).sum()).collect(Collectors.toList()),
                rdd.mapPartitions(it -> {
                    long sum = 0;
                    while (it.hasNext()) {
                        sum += it.next();
                    }
                    return List.of(sum).iterator();
                }).collect());
        List<Pair<Integer, Integer>> indexed = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            for (Integer x : expected.get(i)) {
                indexed.add(Pair.of(i, x));
            }
        }
        assertEquals(indexed, rdd.mapPartitionsWithIndex((i, it) -> {
            List<Pair<Integer, Integer>> out = new ArrayList<>();
            it.forEachRemaining(x -> out.add(Pair.of(i, x)));
            return out.iterator();
        }, false).collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void mapToPairFlatMapToPairMapToDoubleAndKeyByMatchStreams(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(3, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(data.stream().map(x -> Pair.of(x % 7, x)).collect(Collectors.toList()),
                rdd.mapToPair(x -> Pair.of(x % 7, x)).collect());
        assertEquals(data.stream().flatMap(x -> List.of(Pair.of(x, 1), Pair.of(x, 2)).stream()).collect(Collectors.toList()),
                rdd.flatMapToPair(x -> List.of(Pair.of(x, 1), Pair.of(x, 2)).iterator()).collect());
        DoubleRDD halves = rdd.mapToDouble(x -> x / 2.0);
        assertEquals(data.stream().map(x -> x / 2.0).collect(Collectors.toList()), halves.collect());
        assertEquals(data.stream().map(x -> Pair.of("k" + x % 5, x)).collect(Collectors.toList()),
                rdd.keyBy(x -> "k" + x % 5).collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void distinctMatchesStreamDistinct(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(4, shape.size(), 50);
        List<Integer> actual = shape.rdd(kc, data).distinct().collect();

        assertEquals(data.stream().distinct().sorted().collect(Collectors.toList()), sorted(actual));
    }

    @Test
    void distinctKeepsNullAndCollidingHashCodesApart(KindlingContext kc) {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.addAll(RandomData.KEY_POOL);
        }
        List<String> actual = kc.parallelize(data, 4).distinct(3).collect();

        assertEquals(RandomData.KEY_POOL.size(), actual.size());
        assertEquals(new HashSet<>(RandomData.KEY_POOL), new HashSet<>(actual));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void unionConcatenatesPartitionsAndKeepsDuplicates(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(5, shape.size(), 100);
        List<Integer> other = RandomData.ints(6, 37, 100);
        RDD<Integer> union = shape.rdd(kc, data).union(kc.parallelize(other, 3));

        List<Integer> expected = new ArrayList<>(data);
        expected.addAll(other);
        assertEquals(expected, union.collect());
        assertEquals(shape.partitions() + 3, union.getNumPartitions());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void intersectionHasNoDuplicatesAndSubtractKeepsLeftDuplicates(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> left = RandomData.ints(7, shape.size(), 60);
        List<Integer> right = RandomData.ints(8, 80, 60);
        RDD<Integer> l = shape.rdd(kc, left);
        RDD<Integer> r = kc.parallelize(right, 4);

        Set<Integer> rightSet = new HashSet<>(right);
        assertEquals(left.stream().filter(rightSet::contains).distinct().sorted().collect(Collectors.toList()),
                sorted(l.intersection(r).collect()));
        assertEquals(left.stream().filter(x -> !rightSet.contains(x)).sorted().collect(Collectors.toList()),
                sorted(l.subtract(r).collect()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void cartesianPairsEveryElementAndNumbersPartitionsI1TimesP2PlusI2(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> left = RandomData.ints(9, Math.min(shape.size(), 60), 100);
        List<String> right = List.of("a", "b", "c", "d", "e");
        RandomData.Shape leftShape = new RandomData.Shape(shape.name(), left.size(), shape.slices(), shape.emptyPieces());
        PairRDD<Integer, String> product = leftShape.rdd(kc, left).cartesian(kc.parallelize(right, 2));

        assertEquals(shape.partitions() * 2, product.getNumPartitions());
        List<List<Integer>> leftParts = leftShape.partitionsOf(left);
        List<List<String>> rightParts = List.of(List.of("a", "b"), List.of("c", "d", "e"));
        List<List<Pair<Integer, String>>> expected = new ArrayList<>();
        for (List<Integer> lp : leftParts) {
            for (List<String> rp : rightParts) {
                List<Pair<Integer, String>> cell = new ArrayList<>();
                for (Integer a : lp) {
                    for (String b : rp) {
                        cell.add(Pair.of(a, b));
                    }
                }
                expected.add(cell);
            }
        }
        assertEquals(expected, product.rdd().glom().collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void zipAndZipPartitionsPairPositionsWithinPartitions(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(10, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(data.stream().map(x -> Pair.of(x, "v" + x)).collect(Collectors.toList()),
                rdd.zip(rdd.map(x -> "v" + x)).collect());
        List<Integer> sizes = shape.partitionsOf(data).stream().map(p -> p.size() * 2).collect(Collectors.toList());
        assertEquals(sizes, rdd.zipPartitions(rdd, (a, b) -> {
            int n = 0;
            for (Iterator<?> it : List.<Iterator<?>>of(a, b)) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return List.of(n).iterator();
        }).collect());
    }

    @Test
    void whenZippingUnequalPartitionCounts_thenDeclarationFails(KindlingContext kc) {
        RDD<Integer> three = kc.parallelize(List.of(1, 2, 3), 3);
        RDD<Integer> two = kc.parallelize(List.of(1, 2, 3), 2);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> three.zip(two));
        assertTrue(e.getMessage().contains("partitions"), e.getMessage());
    }

    @Test
    void whenZippingUnequalElementCounts_thenTheJobFails(KindlingContext kc) {
        RDD<Integer> a = kc.parallelize(List.of(1, 2, 3, 4), 2);
        RDD<Integer> b = kc.parallelize(List.of(1, 2, 3), 2);
        PairRDD<Integer, Integer> zipped = a.zip(b);

        JobFailedException e = assertThrows(JobFailedException.class, zipped::collect);
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("same number of elements"), e.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void zipWithIndexNumbersElementsInRddOrder(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(11, shape.size(), 1000);
        List<Pair<Integer, Long>> expected = IntStream.range(0, data.size())
                .mapToObj(i -> Pair.of(data.get(i), (long) i)).collect(Collectors.toList());

        PairRDD<Integer, Long> indexed = shape.rdd(kc, data).zipWithIndex();
        assertEquals(expected, indexed.collect());
        assertEquals(expected.subList(0, Math.min(3, expected.size())), indexed.take(3));
    }

    @Test
    void zipWithIndexOverAShuffledParentCountsItsPartitionsFirst(KindlingContext kc) {
        List<Integer> data = RandomData.ints(16, 500, 100);
        RDD<Integer> shuffled = kc.parallelize(data, 4).repartition(3);
        List<Integer> order = shuffled.collect();

        List<Pair<Integer, Long>> indexed = shuffled.zipWithIndex().collect();

        assertEquals(IntStream.range(0, order.size()).mapToObj(i -> Pair.of(order.get(i), (long) i))
                .collect(Collectors.toList()), indexed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void zipWithUniqueIdGivesTheKthElementOfPartitionIIdKTimesPPlusI(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(12, shape.size(), 1000);
        List<List<Integer>> parts = shape.partitionsOf(data);
        int p = parts.size();
        List<Pair<Integer, Long>> expected = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < parts.get(i).size(); k++) {
                expected.add(Pair.of(parts.get(i).get(k), (long) k * p + i));
            }
        }
        JobRecorder jobs = JobRecorder.on(kc);
        PairRDD<Integer, Long> ids = shape.rdd(kc, data).zipWithUniqueId();

        assertEquals(0, jobs.jobCount(), "zipWithUniqueId runs no job");
        List<Pair<Integer, Long>> actual = ids.collect();
        assertEquals(expected, actual);
        assertEquals(actual.size(), actual.stream().map(Pair::value).distinct().count());
    }

    @Test
    void sampleIsDeterministicPerSeedAndRoughlyRespectsTheFraction(KindlingContext kc) {
        int n = 10_000;
        RDD<Integer> rdd = kc.parallelize(IntStream.range(0, n).boxed().collect(Collectors.toList()), 6);

        List<Integer> once = rdd.sample(false, 0.3, 42).collect();
        assertEquals(once, rdd.sample(false, 0.3, 42).collect());
        assertFalse(once.equals(rdd.sample(false, 0.3, 43).collect()), "another seed gives another sample");
        assertEquals(once.size(), new HashSet<>(once).size(), "without replacement no element twice");
        // Mean 3000, standard deviation about 46: allow more than 5 standard deviations.
        assertTrue(Math.abs(once.size() - 3000) < 250, "sample size " + once.size());

        List<Integer> withReplacement = rdd.sample(true, 2.0, 7).collect();
        assertEquals(withReplacement, rdd.sample(true, 2.0, 7).collect());
        // Mean 20000, standard deviation about 141.
        assertTrue(Math.abs(withReplacement.size() - 20_000) < 800, "sample size " + withReplacement.size());
        assertTrue(withReplacement.stream().allMatch(x -> x >= 0 && x < n));
    }

    @Test
    void randomSplitIsDisjointCompleteAndProportional(KindlingContext kc) {
        int n = 9_000;
        List<Integer> data = IntStream.range(0, n).boxed().collect(Collectors.toList());
        List<RDD<Integer>> splits = kc.parallelize(data, 5).randomSplit(new double[] {1, 2, 3}, 99);

        assertEquals(3, splits.size());
        List<Integer> all = new ArrayList<>();
        int[] expectedSizes = {1500, 3000, 4500};
        for (int i = 0; i < 3; i++) {
            List<Integer> split = splits.get(i).collect();
            assertEquals(split, splits.get(i).collect(), "a split is the same each time it is computed");
            assertTrue(Math.abs(split.size() - expectedSizes[i]) < 300, "split " + i + " has " + split.size());
            all.addAll(split);
        }
        assertEquals(n, all.size(), "no element in two splits");
        assertEquals(data, sorted(all), "every element in some split");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void groupByMatchesGroupingBy(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(13, shape.size(), 1000);
        Map<Integer, List<Integer>> expected = data.stream().collect(Collectors.groupingBy(x -> x % 9));
        expected.values().forEach(Collections::sort);

        Map<Integer, List<Integer>> actual = new HashMap<>();
        for (Pair<Integer, Iterable<Integer>> kv : shape.rdd(kc, data).groupBy(x -> x % 9, 4).collect()) {
            List<Integer> values = new ArrayList<>();
            kv.value().forEach(values::add);
            Collections.sort(values);
            assertEquals(null, actual.put(kv.key(), values), "key " + kv.key() + " appears once");
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void coalesceIsNarrowKeepsOrderAndCannotGrow(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(14, shape.size(), 1000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        RDD<Integer> fewer = rdd.coalesce(2);
        assertEquals(Math.min(2, shape.partitions()), fewer.getNumPartitions());
        assertTrue(fewer.dependencies().stream().allMatch(d -> d instanceof NarrowDependency));
        assertEquals(data, fewer.collect());

        RDD<Integer> more = rdd.coalesce(shape.partitions() + 5);
        assertEquals(shape.partitions(), more.getNumPartitions());
        assertEquals(data, more.collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void repartitionGivesExactlyTheCountAndKeepsAllElements(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(15, shape.size(), 1000);
        for (int target : new int[] {1, 3, 17}) {
            RDD<Integer> rdd = shape.rdd(kc, data).repartition(target);
            assertEquals(target, rdd.getNumPartitions());
            assertEquals(sorted(data), sorted(rdd.collect()));
        }
    }

    @Test
    void repartitionSpreadsElementsEvenly(KindlingContext kc) {
        List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        List<List<Integer>> parts = kc.parallelize(data, 1).repartition(4).glom().collect();

        for (List<Integer> p : parts) {
            assertEquals(250, p.size(), "round-robin from one input partition fills each output equally");
        }
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
