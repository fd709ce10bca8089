package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.DoubleRDD;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.Triple;
import dev.kindling.scheduler.HashPartitioner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.kindling.testing.LocalContext;

/**
 * The smaller Java API operations Spark users port with them (mapPartitionsToPair,
 * flatMapToDouble, mapPartitionsToDouble, popStdev/popVariance, histogram with evenBuckets,
 * Triple's accessors, reduceByKeyLocally, groupWith, filterByRange), each checked against java.util.stream over the same data.
 */
@ExtendWith(LocalContext.class)
class JavaApiAdditionsTest {

    private static List<Integer> ints(int n) {
        return IntStream.range(0, n).map(i -> (i * 7919) % 101 - 50).boxed().collect(Collectors.toList());
    }

    @Test
    void mapPartitionsToPairSeesWholePartitions(KindlingContext kc) {
        List<Integer> data = ints(200);
        RDD<Integer> rdd = kc.parallelize(data, 4);
        // One pair per partition: (partition's first element, partition's size).
        PairRDD<Integer, Integer> perPartition = rdd.mapPartitionsToPair(it -> {
            List<Pair<Integer, Integer>> out = new ArrayList<>();
            int first = 0;
            int count = 0;
            while (it.hasNext()) {
                int x = it.next();
                first = count == 0 ? x : first;
                count++;
            }
            out.add(Pair.of(first, count));
            return out.iterator();
        });
        assertEquals(4, perPartition.getNumPartitions());
        assertEquals(data.size(), perPartition.collect().stream().mapToInt(Pair::value).sum());
        List<Pair<Integer, Integer>> expected = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            List<Integer> slice = data.subList(p * 50, (p + 1) * 50);
            expected.add(Pair.of(slice.get(0), slice.size()));
        }
        assertEquals(expected, perPartition.collect());
    }

    @Test
    void mapPartitionsToPairKeepsThePartitionerOnlyWhenAsked(KindlingContext kc) {
        PairRDD<Integer, Integer> partitioned = kc.parallelizePairs(
                ints(50).stream().map(x -> Pair.of(x, 1)).collect(Collectors.toList()), 3).partitionBy(new HashPartitioner(5));
        assertTrue(partitioned.rdd().mapPartitionsToPair(it -> it, true).partitioner().isPresent());
        assertFalse(partitioned.rdd().mapPartitionsToPair(it -> it).partitioner().isPresent());
    }

    @Test
    void flatMapToDoubleAndMapPartitionsToDoubleMatchStreams(KindlingContext kc) {
        List<Integer> data = ints(300);
        RDD<Integer> rdd = kc.parallelize(data, 3);
        DoubleRDD halves = rdd.flatMapToDouble(x -> List.of(x / 2.0, x / 4.0).iterator());
        List<Double> expected = data.stream().flatMap(x -> java.util.stream.Stream.of(x / 2.0, x / 4.0))
                .collect(Collectors.toList());
        assertEquals(expected, halves.collect());

        DoubleRDD sums = rdd.mapPartitionsToDouble(it -> {
            double s = 0;
            while (it.hasNext()) {
                s += it.next();
            }
            return List.of(s).iterator();
        });
        List<Double> expectedSums = IntStream.range(0, 3)
                .mapToObj(p -> data.subList(p * 100, (p + 1) * 100).stream().mapToDouble(x -> x).sum())
                .collect(Collectors.toList());
        assertEquals(expectedSums, sums.collect());
    }

    @Test
    void popStdevAndPopVarianceArePopulationStatistics(KindlingContext kc) {
        List<Double> data = ints(123).stream().map(x -> x * 1.5).collect(Collectors.toList());
        DoubleRDD rdd = kc.parallelizeDoubles(data, 4);
        double mean = data.stream().mapToDouble(x -> x).average().orElseThrow();
        double variance = data.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / data.size();
        assertEquals(variance, rdd.popVariance(), 1e-9 * variance);
        assertEquals(Math.sqrt(variance), rdd.popStdev(), 1e-9 * Math.sqrt(variance));
        assertEquals(rdd.variance(), rdd.popVariance());
        assertEquals(rdd.stdev(), rdd.popStdev());
    }

    @Test
    void histogramWithEvenBucketsCountsAsStreams(KindlingContext kc) {
        List<Double> data = ints(500).stream().map(x -> x + 0.25).collect(Collectors.toList());
        data.add(-20.0);
        data.add(30.0);
        data.add(1000.0);
        DoubleRDD rdd = kc.parallelizeDoubles(data, 3);
        double[] even = {-20, -10, 0, 10, 20, 30};
        double[] uneven = {-20, -3, 0, 0.25, 29};
        for (double[] b : List.of(even, uneven)) {
            long[] expected = new long[b.length - 1];
            for (int i = 0; i < expected.length; i++) {
                double lo = b[i];
                double hi = b[i + 1];
                boolean last = i == expected.length - 1;
                expected[i] = data.stream().filter(x -> x >= lo && (last ? x <= hi : x < hi)).count();
            }
            assertArrayEquals(expected, rdd.histogram(b, false));
            if (b == even) {
                assertArrayEquals(expected, rdd.histogram(b, true));
            }
        }
    }

    @Test
    void threeWayCogroupTripleHasSparkAccessors(KindlingContext kc) {
        PairRDD<String, Integer> a = kc.parallelizePairs(List.of(Pair.of("k", 1)), 1);
        PairRDD<String, String> b = kc.parallelizePairs(List.of(Pair.of("k", "x")), 1);
        PairRDD<String, Long> c = kc.parallelizePairs(List.of(Pair.of("k", 7L)), 1);
        Triple<Iterable<Integer>, Iterable<String>, Iterable<Long>> t = a.cogroup(b, c).collect().get(0).value();
        assertEquals(List.of(1), toList(t._1().iterator()));
        assertEquals(List.of("x"), toList(t._2().iterator()));
        assertEquals(List.of(7L), toList(t._3().iterator()));
        assertEquals(t.first(), t._1());
        assertEquals(t.third(), t._3());
    }

    @Test
    void reduceByKeyLocallyMatchesAStreamGrouping(KindlingContext kc) {
        List<Pair<Integer, Integer>> pairs = ints(400).stream().map(x -> Pair.of(Math.floorMod(x, 13), x))
                .collect(Collectors.toList());
        Map<Integer, Integer> expected = pairs.stream()
                .collect(Collectors.toMap(Pair::key, Pair::value, Integer::sum));
        assertEquals(expected, kc.parallelizePairs(pairs, 5).reduceByKeyLocally(Integer::sum));
        assertEquals(Map.of(), kc.parallelizePairs(List.<Pair<Integer, Integer>>of(), 3).reduceByKeyLocally(Integer::sum));
        assertThrows(UnsupportedOperationException.class,
                () -> new PairRDD<Integer, Integer>(kc.<Pair<Integer, Integer>>emptyRDD()).reduceByKeyLocally(Integer::sum));
    }

    @Test
    void groupWithIsCogroup(KindlingContext kc) {
        PairRDD<Integer, Integer> a = kc.parallelizePairs(
                ints(60).stream().map(x -> Pair.of(Math.floorMod(x, 7), x)).collect(Collectors.toList()), 3);
        PairRDD<Integer, String> b = kc.parallelizePairs(
                ints(30).stream().map(x -> Pair.of(Math.floorMod(x, 5), "s" + x)).collect(Collectors.toList()), 2);
        Map<Integer, List<List<String>>> expected = new TreeMap<>();
        for (int k : java.util.stream.Stream.concat(a.collect().stream().map(Pair::key), b.collect().stream().map(Pair::key))
                .collect(Collectors.toSet())) {
            List<String> as = a.collect().stream().filter(kv -> kv.key() == k).map(kv -> "" + kv.value()).sorted().toList();
            List<String> bs = b.collect().stream().filter(kv -> kv.key() == k).map(Pair::value).sorted().toList();
            expected.put(k, List.of(as, bs));
        }
        Map<Integer, List<List<String>>> actual = new TreeMap<>();
        for (Pair<Integer, Pair<Iterable<Integer>, Iterable<String>>> kv : a.groupWith(b).collect()) {
            List<String> as = toList(kv.value()._1().iterator()).stream().map(x -> "" + x).sorted().toList();
            List<String> bs = toList(kv.value()._2().iterator()).stream().sorted().toList();
            actual.put(kv.key(), List.of(as, bs));
        }
        assertEquals(expected, actual);
        assertEquals(a.cogroup(b, b).count(), a.groupWith(b, b).count());
    }

    @Test
    void filterByRangeIsInclusiveAndPrunesRangePartitions(KindlingContext kc) {
        List<Pair<Integer, Integer>> pairs = ints(300).stream().map(x -> Pair.of(x, -x)).collect(Collectors.toList());
        List<Pair<Integer, Integer>> expected = pairs.stream().filter(kv -> kv.key() >= -10 && kv.key() <= 20)
                .sorted(Comparator.comparing(Pair::key)).collect(Collectors.toList());
        PairRDD<Integer, Integer> sorted = kc.parallelizePairs(pairs, 4).sortByKey(true, 8);
        PairRDD<Integer, Integer> ranged = sorted.filterByRange(-10, 20);
        assertEquals(expected, ranged.collect());
        // Pruned as Spark: only the range partitions that can hold [-10, 20] remain, no partitioner.
        assertTrue(ranged.getNumPartitions() < 8, "not pruned: " + ranged.getNumPartitions() + " partitions");
        assertFalse(ranged.partitioner().isPresent());
        // Bounds exactly on keys and a range inside one partition; descending order too.
        for (int[] r : new int[][] {{-50, 50}, {0, 0}, {7, 3}, {-50, -50}, {50, 50}, {-100, -60}}) {
            List<Pair<Integer, Integer>> want = pairs.stream().filter(kv -> kv.key() >= r[0] && kv.key() <= r[1])
                    .sorted(Comparator.comparing(Pair::key)).collect(Collectors.toList());
            assertEquals(want, sorted.filterByRange(r[0], r[1]).collect(), "range " + r[0] + ".." + r[1]);
            List<Pair<Integer, Integer>> down = kc.parallelizePairs(pairs, 4).sortByKey(false, 5)
                    .filterByRange(r[0], r[1]).collect();
            assertEquals(want.stream().map(Pair::key).sorted(Comparator.reverseOrder()).toList(),
                    down.stream().map(Pair::key).toList(), "descending range " + r[0] + ".." + r[1]);
        }
        // Hash-partitioned: no pruning, the partitioner is kept.
        PairRDD<Integer, Integer> hashed = kc.parallelizePairs(pairs, 4).partitionBy(new HashPartitioner(6));
        PairRDD<Integer, Integer> hashedRange = hashed.filterByRange(-10, 20);
        assertEquals(6, hashedRange.getNumPartitions());
        assertEquals(hashed.partitioner(), hashedRange.partitioner());
        assertEquals(expected, hashedRange.collect().stream().sorted(Comparator.comparing(Pair::key)).toList());
        // Unsorted input and a reversed comparator: the same pairs, bounds given in that order.
        List<Pair<Integer, Integer>> reversed = kc.parallelizePairs(pairs, 3)
                .filterByRange(Comparator.<Integer>reverseOrder(), 20, -10).collect();
        assertEquals(pairs.stream().filter(kv -> kv.key() >= -10 && kv.key() <= 20).collect(Collectors.toList()), reversed);
    }

    private static <T> List<T> toList(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
