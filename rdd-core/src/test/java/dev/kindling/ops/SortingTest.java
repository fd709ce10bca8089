package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sortByKey, sortBy and repartitionAndSortWithinPartitions: the collected order equals a sorted
 * stream, and the order is global, every key of partition {@code i} coming before every key of
 * partition {@code i + 1}.
 */
@ExtendWith(LocalContext.class)
class SortingTest {

    static Stream<Arguments> shapesTimesOrderTimesPartitions() {
        return RandomData.shapes().flatMap(shape -> Stream.of(true, false).flatMap(ascending ->
                Stream.of(1, 3, 8).map(n -> Arguments.of(shape, ascending, n))));
    }

    @ParameterizedTest(name = "{0}, ascending={1}, {2} partitions")
    @MethodSource("shapesTimesOrderTimesPartitions")
    void sortByKeyOrdersGloballyAcrossPartitions(RandomData.Shape shape, boolean ascending, int partitions,
                                                 KindlingContext kc) {
        List<Integer> keys = RandomData.ints(80, shape.size(), 300);
        List<Pair<Integer, Integer>> data = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            data.add(Pair.of(keys.get(i), i));
        }
        Comparator<Integer> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
        PairRDD<Integer, Integer> sorted = new PairRDD<>(shape.rdd(kc, data)).sortByKey(ascending, partitions);

        assertEquals(partitions, sorted.getNumPartitions());
        List<Pair<Integer, Integer>> out = sorted.collect();
        assertEquals(keys.stream().sorted(order).collect(Collectors.toList()),
                out.stream().map(Pair::key).collect(Collectors.toList()));
        assertEquals(data.stream().map(String::valueOf).sorted().collect(Collectors.toList()),
                out.stream().map(String::valueOf).sorted().collect(Collectors.toList()), "same pairs");
        assertGloballyOrdered(sorted.rdd().glom().collect(), order);
    }

    @Test
    void sortByKeyPutsNullFirstAndSeparatesCollidingHashCodes(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(81, 400);
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        PairRDD<String, Integer> sorted = kc.parallelizePairs(data, 4).sortByKey(true, 3);

        assertEquals(data.stream().map(Pair::key).sorted(nullsFirst).collect(Collectors.toList()),
                sorted.keys().collect());
        assertGloballyOrdered(sorted.rdd().glom().collect(), nullsFirst);
        assertEquals(data.stream().map(Pair::key).sorted(nullsFirst.reversed()).collect(Collectors.toList()),
                kc.parallelizePairs(data, 4).sortByKey(false, 3).keys().collect());
    }

    @Test
    void sortByKeyWithACustomComparatorAndFewerKeysThanPartitions(KindlingContext kc) {
        List<Pair<Integer, String>> data = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            data.add(Pair.of(i % 3 * 7, "v" + i));
        }
        Comparator<Integer> byLastDigit = (Comparator<Integer> & Serializable) (a, b) -> Integer.compare(a % 10, b % 10);
        PairRDD<Integer, String> sorted = kc.parallelizePairs(data, 5).sortByKey(byLastDigit, true, 8);

        assertEquals(8, sorted.getNumPartitions(), "the requested partition count is kept");
        assertEquals(data.stream().map(Pair::key).sorted(byLastDigit).collect(Collectors.toList()),
                sorted.keys().collect());
        assertGloballyOrdered(sorted.rdd().glom().collect(), byLastDigit);
    }

    @Test
    void sortByKeyBalancesDistinctKeysAcrossPartitions(KindlingContext kc) {
        List<Integer> keys = RandomData.ints(84, 20_000, 1_000_000);
        PairRDD<Integer, Integer> sorted = kc.parallelize(keys, 6).mapToPair(k -> Pair.of(k, k)).sortByKey(true, 8);

        // The bounds come from a sample, so sizes vary; a partition far from 2500 means bad bounds.
        for (List<Pair<Integer, Integer>> p : sorted.rdd().glom().collect()) {
            assertTrue(p.size() > 1000 && p.size() < 4000, "partition size " + p.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.kindling.ops.RandomData#shapes")
    void sortByOrdersByTheComputedKey(RandomData.Shape shape, KindlingContext kc) {
        List<Integer> data = RandomData.ints(82, shape.size(), 10_000);
        RDD<Integer> rdd = shape.rdd(kc, data);

        assertEquals(data.stream().sorted(Comparator.comparing(x -> x % 1000)).map(x -> x % 1000)
                        .collect(Collectors.toList()),
                rdd.sortBy(x -> x % 1000, true, 4).map(x -> x % 1000).collect());
        assertEquals(data.stream().sorted(Comparator.reverseOrder()).collect(Collectors.toList()),
                rdd.sortBy(x -> x, false, 3).collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.kindling.ops.RandomData#shapes")
    void repartitionAndSortWithinPartitionsPartitionsByKeyAndSortsEachPartition(RandomData.Shape shape,
                                                                                KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(83, shape.size());
        HashPartitioner partitioner = new HashPartitioner(4);
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        List<List<Pair<String, Integer>>> parts = PairOperationsTest.pairs(shape, kc, data)
                .repartitionAndSortWithinPartitions(partitioner).rdd().glom().collect();

        assertEquals(4, parts.size());
        List<Pair<String, Integer>> all = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<String> keys = parts.get(i).stream().map(Pair::key).collect(Collectors.toList());
            int partition = i;
            assertTrue(keys.stream().allMatch(k -> partitioner.getPartition(k) == partition), "partition " + i);
            assertEquals(keys.stream().sorted(nullsFirst).collect(Collectors.toList()), keys, "sorted within " + i);
            all.addAll(parts.get(i));
        }
        assertEquals(PairOperationsTest.sortedPairs(data), PairOperationsTest.sortedPairs(all));
    }

    @Test
    void sortingKeepsTheArrivalOrderOfEqualKeysWithinAPartition(KindlingContext kc) {
        // One input partition, so the records arrive at the sorting task in the input's order, and
        // few distinct keys, so most records tie: the output must equal a stable sort of the input.
        List<Integer> keys = RandomData.ints(84, 5000, 40);
        List<Pair<Integer, Integer>> data = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            data.add(Pair.of(keys.get(i), i));
        }
        List<Pair<Integer, Integer>> expected = new ArrayList<>(data);
        expected.sort(Comparator.comparing(Pair::key)); // List.sort is stable
        List<Pair<Integer, Integer>> out = new PairRDD<>(kc.parallelize(data, 1))
                .repartitionAndSortWithinPartitions(new HashPartitioner(1)).collect();
        assertEquals(expected, out);
    }

    @Test
    void aSortedRddCanBeLookedUpJoinedAndAggregatedByItsRangePartitioner(KindlingContext kc) {
        List<Pair<Integer, Integer>> data = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            data.add(Pair.of(i % 40, i));
        }
        PairRDD<Integer, Integer> sorted = kc.parallelizePairs(data, 3).sortByKey(true, 4);

        assertEquals(data.stream().filter(kv -> kv.key() == 7).map(Pair::value).sorted().collect(Collectors.toList()),
                PairOperationsTest.sorted(sorted.lookup(7)), "lookup before any other job on the sorted RDD");
        List<Pair<Integer, String>> names = List.of(Pair.of(7, "seven"), Pair.of(39, "thirty-nine"), Pair.of(99, "none"));
        assertEquals(data.stream().filter(kv -> kv.key() == 7 || kv.key() == 39).count(),
                sorted.join(kc.parallelizePairs(names, 2)).count());
        assertEquals(40, PairOperationsTest.asUniqueMap(sorted.reduceByKey(Integer::sum)).size());
        assertEquals(1, PartitionerPropagationTest.shuffleDependencies(sorted.reduceByKey(Integer::sum).rdd()),
                "reduceByKey reuses the range partitioning");
    }

    /** Every key of partition i comes strictly before every key of partition i + 1 (empty partitions skipped). */
    private static <K, V> void assertGloballyOrdered(List<List<Pair<K, V>>> partitions, Comparator<? super K> order) {
        K previousMax = null;
        boolean seen = false;
        for (int i = 0; i < partitions.size(); i++) {
            List<Pair<K, V>> p = partitions.get(i);
            for (int j = 1; j < p.size(); j++) {
                assertTrue(order.compare(p.get(j - 1).key(), p.get(j).key()) <= 0, "partition " + i + " is sorted");
            }
            if (p.isEmpty()) {
                continue;
            }
            if (seen) {
                assertTrue(order.compare(previousMax, p.get(0).key()) < 0,
                        "keys of partition " + i + " start after those of earlier partitions: " + previousMax
                                + " vs " + p.get(0).key());
            }
            previousMax = p.get(p.size() - 1).key();
            seen = true;
        }
    }
}
