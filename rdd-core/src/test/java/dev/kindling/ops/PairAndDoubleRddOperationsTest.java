package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.DoubleRDD;
import dev.kindling.KindlingContext;
import dev.kindling.LongAccumulator;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.function.SerializableComparator;
import dev.kindling.storage.StorageLevel;
import dev.kindling.testing.LocalContext;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RDD operations that {@link PairRDD} and {@link DoubleRDD} now offer directly (through
 * RDDLike/RDDActions), each called on the wrapper and compared with java.util.stream over the same
 * data; the declared types of the results (a PairRDD stays a PairRDD) are checked by the compiler.
 */
@ExtendWith(LocalContext.class)
class PairAndDoubleRddOperationsTest {

    /** Distinct pairs ("k0".."k6", value): 31 is coprime to 1000, so the values are all different. */
    private static final List<Pair<String, Integer>> PAIRS = IntStream.range(0, 600)
            .mapToObj(i -> Pair.of("k" + i % 7, i * 31 % 1000)).collect(Collectors.toList());
    /** Doubles with repeats, negative and positive. */
    private static final List<Double> DOUBLES = IntStream.range(0, 300)
            .mapToObj(i -> (i * 37 % 97) * 0.5 - 20).collect(Collectors.toList());

    private static final Comparator<Pair<String, Integer>> BY_VALUE =
            (Comparator<Pair<String, Integer>> & Serializable) (a, b) -> Integer.compare(a.value(), b.value());
    private static final Comparator<Double> NATURAL = (Comparator<Double> & Serializable) Double::compare;

    private static <T> Map<T, Long> counts(List<T> list) {
        return list.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static long valueSum(List<Pair<String, Integer>> pairs) {
        return pairs.stream().mapToLong(Pair::value).sum();
    }

    @Test
    void pairRddActionsMatchStreams(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(PAIRS, 5);
        int sum = PAIRS.stream().mapToInt(Pair::value).sum();
        assertEquals(sum, pairs.reduce((a, b) -> Pair.of("sum", a.value() + b.value())).value());
        assertEquals(sum, pairs.treeReduce((a, b) -> Pair.of("sum", a.value() + b.value()), 3).value());
        assertEquals(sum, pairs.fold(Pair.of("", 0), (a, b) -> Pair.of("", a.value() + b.value())).value());
        assertEquals((long) sum, pairs.aggregate(0L, (acc, kv) -> acc + kv.value(), Long::sum));
        assertEquals((long) sum, pairs.treeAggregate(0L, (acc, kv) -> acc + kv.value(), Long::sum, 2));
        assertEquals(PAIRS.stream().sorted(BY_VALUE.reversed()).limit(9).collect(Collectors.toList()), pairs.top(9, BY_VALUE));
        assertEquals(PAIRS.stream().sorted(BY_VALUE).limit(9).collect(Collectors.toList()), pairs.takeOrdered(9, BY_VALUE));
        // As the README's API tour writes it, without an rdd() detour.
        assertEquals(PAIRS.stream().sorted(BY_VALUE.reversed()).limit(10).collect(Collectors.toList()),
                pairs.top(10, SerializableComparator.comparing(Pair::value)));
        assertEquals(PAIRS.stream().min(BY_VALUE).orElseThrow(), pairs.min(BY_VALUE));
        assertEquals(PAIRS.stream().max(BY_VALUE).orElseThrow(), pairs.max(BY_VALUE));
        assertEquals(counts(PAIRS), pairs.countByValue());
        List<Pair<String, Integer>> local = new ArrayList<>();
        pairs.toLocalIterator().forEachRemaining(local::add);
        assertEquals(PAIRS, local);
        assertEquals(PAIRS.get(0), pairs.first());
        assertFalse(pairs.isEmpty());
        assertTrue(pairs.filter(kv -> false).isEmpty());

        List<Pair<String, Integer>> sample = pairs.takeSample(false, 50, 7L);
        assertEquals(50, new HashSet<>(sample).size(), "without replacement: 50 different pairs");
        assertTrue(PAIRS.containsAll(sample));

        LongAccumulator seen = kc.longAccumulator();
        pairs.foreach(kv -> seen.add(kv.value()));
        assertEquals(sum, seen.sum());
        LongAccumulator partitions = kc.longAccumulator();
        pairs.foreachPartition(it -> partitions.add(1));
        assertEquals(5, partitions.sum());
    }

    @Test
    void pairRddPartitionOperationsMatchStreams(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(PAIRS, 4);
        assertEquals(List.of(0, 1, 2, 3), pairs.partitions());
        List<List<Pair<String, Integer>>> glommed = pairs.glom().collect();
        assertEquals(4, glommed.size());
        assertEquals(PAIRS, glommed.stream().flatMap(List::stream).collect(Collectors.toList()));
        assertEquals(List.of(glommed.get(3), glommed.get(1), glommed.get(3)), pairs.collectPartitions(3, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> pairs.collectPartitions(4));
        List<Integer> partitionOfEach = pairs.mapPartitionsWithIndex((i, it) -> {
            List<Integer> out = new ArrayList<>();
            it.forEachRemaining(x -> out.add(i));
            return out.iterator();
        }).collect();
        List<Integer> expected = new ArrayList<>();
        for (int p = 0; p < glommed.size(); p++) {
            expected.addAll(java.util.Collections.nCopies(glommed.get(p).size(), p));
        }
        assertEquals(expected, partitionOfEach);
        assertEquals(PAIRS.stream().map(kv -> kv.value() % 10).collect(Collectors.toList()),
                pairs.mapPartitions(it -> {
                    List<Integer> out = new ArrayList<>();
                    it.forEachRemaining(kv -> out.add(kv.value() % 10));
                    return out.iterator();
                }).collect());

        PairRDD<String, Integer> one = pairs.coalesce(1);
        assertEquals(1, one.getNumPartitions());
        assertEquals(PAIRS, one.collect());
        PairRDD<String, Integer> six = pairs.repartition(6);
        assertEquals(6, six.getNumPartitions());
        assertEquals(counts(PAIRS), counts(six.collect()));
    }

    @Test
    void pairRddSetOperationsAndZipsMatchStreams(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(PAIRS, 4);
        List<Pair<String, Integer>> firstHalf = PAIRS.subList(0, 300);
        PairRDD<String, Integer> half = kc.parallelizePairs(firstHalf, 3);
        PairRDD<String, Integer> doubled = pairs.union(half);
        assertEquals(900, doubled.count());
        assertEquals(new HashSet<>(PAIRS), new HashSet<>(doubled.distinct().collect()));
        assertEquals(600, doubled.distinct(3).count());
        assertEquals(new HashSet<>(firstHalf), new HashSet<>(pairs.intersection(half).collect()));
        Set<Pair<String, Integer>> rest = new HashSet<>(PAIRS.subList(300, 600));
        assertEquals(rest, new HashSet<>(pairs.subtract(half).collect()));

        PairRDD<Pair<String, Integer>, Long> indexed = pairs.zipWithIndex();
        assertEquals(IntStream.range(0, 600).mapToObj(i -> Pair.of(PAIRS.get(i), (long) i)).collect(Collectors.toList()),
                indexed.collect());
        assertEquals(600, new HashSet<>(pairs.zipWithUniqueId().values().collect()).size());
        RDD<Integer> values = pairs.map(Pair::value);
        assertEquals(PAIRS.stream().map(kv -> Pair.of(kv, kv.value())).collect(Collectors.toList()),
                pairs.zip(values).collect());
        assertEquals(PAIRS.stream().map(kv -> kv.key() + kv.value()).collect(Collectors.toList()),
                pairs.zipPartitions(values, (Iterator<Pair<String, Integer>> a, Iterator<Integer> b) -> {
                    List<String> out = new ArrayList<>();
                    while (a.hasNext()) {
                        out.add(a.next().key() + b.next());
                    }
                    return out.iterator();
                }).collect());

        PairRDD<String, Integer> few = kc.parallelizePairs(PAIRS.subList(0, 4), 2);
        DoubleRDD ds = kc.parallelizeDoubles(List.of(1.0, 2.0, 3.0), 3);
        List<Pair<Pair<String, Integer>, Double>> expectedCross = new ArrayList<>();
        for (Pair<String, Integer> kv : PAIRS.subList(0, 4)) {
            for (double d : List.of(1.0, 2.0, 3.0)) {
                expectedCross.add(Pair.of(kv, d));
            }
        }
        assertEquals(counts(expectedCross), counts(few.cartesian(ds).collect()));

        Map<Integer, List<Pair<String, Integer>>> byLastDigit = PAIRS.stream().collect(Collectors.groupingBy(kv -> kv.value() % 10));
        Map<Integer, List<Pair<String, Integer>>> grouped = pairs.groupBy(kv -> kv.value() % 10).mapValues(it -> {
            List<Pair<String, Integer>> list = new ArrayList<>();
            it.forEach(list::add);
            return list;
        }).collectAsMap();
        assertEquals(byLastDigit.keySet(), grouped.keySet());
        byLastDigit.forEach((k, v) -> assertEquals(new HashSet<>(v), new HashSet<>(grouped.get(k))));
        assertEquals(PAIRS.stream().map(kv -> Pair.of(kv.value(), kv)).collect(Collectors.toList()),
                pairs.keyBy(Pair::value).collect());
    }

    @Test
    void pairRddSamplingSortingAndPipeMatchStreams(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(PAIRS, 4);
        PairRDD<String, Integer> sampled = pairs.sample(false, 0.3, 11L);
        assertEquals(sampled.collect(), pairs.sample(false, 0.3, 11L).collect(), "same seed, same sample");
        assertTrue(PAIRS.containsAll(sampled.collect()));
        List<PairRDD<String, Integer>> splits = pairs.randomSplit(new double[] {1, 2}, 5L);
        List<Pair<String, Integer>> rejoined = new ArrayList<>(splits.get(0).collect());
        rejoined.addAll(splits.get(1).collect());
        assertEquals(counts(PAIRS), counts(rejoined), "every pair in exactly one split");

        PairRDD<String, Integer> sorted = pairs.sortBy(Pair::value, false, 3);
        assertEquals(PAIRS.stream().sorted(BY_VALUE.reversed()).collect(Collectors.toList()), sorted.collect());
        assertEquals(PAIRS.stream().map(Pair::toString).collect(Collectors.toList()), pairs.pipe("cat").collect());
        assertEquals(PAIRS.stream().map(Pair::toString).collect(Collectors.toList()), pairs.pipe(List.of("cat")).collect());
    }

    @Test
    void pairRddSavesCheckpointsAndCaches(KindlingContext kc, @TempDir Path dir) throws Exception {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(PAIRS, 3);
        pairs.saveAsObjectFile(dir.resolve("objects").toString());
        assertEquals(counts(PAIRS), counts(kc.<Pair<String, Integer>>objectFile(dir.resolve("objects").toString()).collect()));
        pairs.saveAsTextFile(dir.resolve("text").toString());
        assertEquals(counts(PAIRS.stream().map(Pair::toString).collect(Collectors.toList())),
                counts(kc.textFile(dir.resolve("text").toString()).collect()));

        kc.setCheckpointDir(dir.resolve("checkpoints").toString());
        PairRDD<String, Integer> mapped = pairs.mapValues(v -> v + 1);
        mapped.checkpoint();
        assertFalse(mapped.isCheckpointed());
        assertEquals(600, mapped.count());
        assertTrue(mapped.isCheckpointed());
        assertTrue(mapped.getCheckpointFile().isPresent());
        assertEquals(PAIRS.stream().map(kv -> Pair.of(kv.key(), kv.value() + 1)).collect(Collectors.toList()), mapped.collect());

        PairRDD<String, Integer> named = pairs.setName("the pairs");
        assertEquals("the pairs", named.name());
        assertEquals("the pairs", pairs.rdd().name());
        assertEquals(StorageLevel.NONE, pairs.getStorageLevel());
        assertEquals(StorageLevel.MEMORY_ONLY, pairs.cache().getStorageLevel());
        assertEquals(StorageLevel.NONE, pairs.unpersist().getStorageLevel());
        assertEquals(StorageLevel.DISK_ONLY, pairs.persist(StorageLevel.DISK_ONLY).rdd().getStorageLevel());
        assertEquals(PAIRS, pairs.collect());
        assertTrue(pairs.toDebugString().contains("the pairs"));
        assertEquals(pairs.rdd().id(), pairs.id());
        assertEquals(kc, pairs.context());
        assertEquals(600L, pairs.countAsync().get());
        assertEquals(PAIRS.subList(0, 5), pairs.takeAsync(5).get());
        LongAccumulator partitions = kc.longAccumulator();
        pairs.foreachPartitionAsync(it -> partitions.add(1)).get();
        assertEquals(3, partitions.sum());
    }

    @Test
    void plainRddStateMethodsStillWork(KindlingContext kc) {
        // RDD declares the state methods the RDDLike defaults delegate to; calling them on an RDD must not recurse.
        RDD<Integer> rdd = kc.parallelize(List.of(1, 2, 3), 2);
        assertEquals(rdd, rdd.rdd());
        assertEquals(rdd, rdd.setName("three"));
        assertEquals("three", rdd.name());
        assertEquals(rdd, rdd.cache());
        assertEquals(StorageLevel.MEMORY_ONLY, rdd.getStorageLevel());
        assertEquals(rdd, rdd.unpersist());
        assertEquals(StorageLevel.NONE, rdd.getStorageLevel());
        assertEquals(2, rdd.numPartitions());
        assertEquals(List.of(0, 1), rdd.partitions());
        assertFalse(rdd.isCheckpointed());
        assertTrue(rdd.toDebugString().contains("three"));
        assertEquals(kc, rdd.context());
        assertNull(kc.parallelize(List.of(1), 1).name());
    }

    @Test
    void doubleRddOperationsMatchStreams(KindlingContext kc) throws Exception {
        DoubleRDD ds = kc.parallelizeDoubles(DOUBLES, 4);
        DoubleRDD positive = ds.filter(d -> d > 0);
        assertEquals(DOUBLES.stream().filter(d -> d > 0).mapToDouble(d -> d).sum(), positive.sum(), 1e-9);
        DoubleRDD distinct = ds.distinct();
        assertEquals(new HashSet<>(DOUBLES), new HashSet<>(distinct.collect()));
        assertEquals(DOUBLES.stream().distinct().count(), distinct.stats().count());
        assertEquals(2 * DOUBLES.size(), ds.union(ds).count());
        assertEquals(new HashSet<>(DOUBLES.subList(0, 50)), new HashSet<>(ds.intersection(kc.parallelizeDoubles(DOUBLES.subList(0, 50), 2)).collect()));
        assertEquals(counts(DOUBLES.stream().filter(d -> d >= 0).collect(Collectors.toList())),
                counts(ds.subtract(ds.filter(d -> d < 0)).collect()));
        DoubleRDD sorted = ds.sortBy(d -> d, true, 3);
        assertEquals(DOUBLES.stream().sorted().collect(Collectors.toList()), sorted.collect());
        assertEquals(1, ds.coalesce(1).getNumPartitions());
        assertEquals(counts(DOUBLES), counts(ds.repartition(7).collect()));
        assertEquals(DOUBLES.stream().mapToDouble(d -> d).sum(), ds.reduce(Double::sum), 1e-9);
        assertEquals(DOUBLES.stream().mapToDouble(d -> d).sum(), ds.fold(0.0, Double::sum), 1e-9);
        assertEquals((long) DOUBLES.size(), (long) ds.aggregate(0L, (n, d) -> n + 1, Long::sum));
        assertEquals(DOUBLES.stream().sorted(Comparator.reverseOrder()).limit(5).collect(Collectors.toList()), ds.top(5));
        assertEquals(DOUBLES.stream().sorted().limit(5).collect(Collectors.toList()), ds.takeOrdered(5));
        assertEquals(DOUBLES.stream().min(NATURAL).orElseThrow(), ds.min(NATURAL));
        assertEquals(ds.max(), ds.max(NATURAL));
        Double first = ds.first();
        assertEquals(DOUBLES.get(0), first);
        assertEquals(counts(DOUBLES), ds.countByValue());
        assertEquals(DOUBLES.stream().map(d -> Pair.of(d, d * 2)).collect(Collectors.toList()),
                ds.zip(ds.map(d -> d * 2)).collect());
        assertEquals(DOUBLES.stream().mapToDouble(d -> d * d).sum(), ds.mapToDouble(d -> d * d).sum(), 1e-9);
        assertEquals(counts(DOUBLES.stream().map(d -> d > 0).collect(Collectors.toList())),
                ds.mapToPair(d -> Pair.of(d > 0, 1)).countByKey().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(DOUBLES, ds.glom().collect().stream().flatMap(List::stream).collect(Collectors.toList()));
        DoubleRDD sample = ds.sample(false, 0.5, 3L);
        assertTrue(new HashSet<>(DOUBLES).containsAll(sample.collect()));
        List<DoubleRDD> splits = ds.randomSplit(new double[] {1, 1, 1}, 9L);
        assertEquals(DOUBLES.size(), splits.stream().mapToLong(DoubleRDD::count).sum());
        assertEquals(DOUBLES.stream().map(String::valueOf).collect(Collectors.toList()), ds.pipe("cat").collect());
        assertEquals(StorageLevel.MEMORY_ONLY, ds.cache().getStorageLevel());
        assertEquals((long) DOUBLES.size(), ds.countAsync().get());
        assertEquals(DOUBLES.stream().mapToDouble(d -> d).average().orElseThrow(), ds.mean(), 1e-9);
    }
}
