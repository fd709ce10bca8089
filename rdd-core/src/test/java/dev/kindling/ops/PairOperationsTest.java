package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.testing.EveryContextConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregations by key and per-value operations of {@link PairRDD}, checked against hand-written
 * {@link HashMap} loops (which, unlike {@code Collectors.groupingBy}, allow the null key) on skewed
 * keys with colliding hash codes.
 */
@EveryContextConfiguration
class PairOperationsTest {

    private static final String SHAPES = "dev.kindling.ops.RandomData#shapes";

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void reduceByKeyMatchesAMergeLoop(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(40, shape.size());
        PairRDD<String, Integer> rdd = pairs(shape, kc, data);
        Map<String, Integer> expected = new HashMap<>();
        data.forEach(kv -> expected.merge(kv.key(), kv.value(), Integer::sum));

        assertEquals(expected, asUniqueMap(rdd.reduceByKey(Integer::sum)));
        assertEquals(expected, asUniqueMap(rdd.reduceByKey(Integer::sum, 3)));
        assertEquals(expected, asUniqueMap(rdd.reduceByKey(Integer::sum, new HashPartitioner(5))));
        assertEquals(expected, asUniqueMap(rdd.foldByKey(0, Integer::sum)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void groupByKeyGroupsEveryValue(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(41, shape.size());
        Map<String, List<Integer>> expected = groups(data);

        Map<String, List<Integer>> actual = new HashMap<>();
        for (Pair<String, Iterable<Integer>> kv : pairs(shape, kc, data).groupByKey(4).collect()) {
            List<Integer> values = new ArrayList<>();
            kv.value().forEach(values::add);
            Collections.sort(values);
            assertEquals(false, actual.containsKey(kv.key()), "key " + kv.key() + " appears once");
            actual.put(kv.key(), values);
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void aggregateByKeyStartsEachKeyInEachPartitionFromItsOwnZero(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(42, shape.size());
        PairRDD<String, Integer> rdd = pairs(shape, kc, data);

        // A mutable zero: shared, it would collect values of other keys or partitions.
        Map<String, List<Integer>> lists = new HashMap<>();
        for (Pair<String, ArrayList<Integer>> kv : rdd.aggregateByKey(new ArrayList<Integer>(), 3, (acc, v) -> {
            acc.add(v);
            return acc;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        }).collect()) {
            Collections.sort(kv.value());
            lists.put(kv.key(), kv.value());
        }
        assertEquals(groups(data), lists);

        // A non-neutral zero counts once per key per input partition holding the key (map-side combine).
        Map<String, Integer> expected = new HashMap<>();
        for (List<Pair<String, Integer>> partition : shape.partitionsOf(data)) {
            Map<String, Integer> local = new HashMap<>();
            partition.forEach(kv -> local.merge(kv.key(), kv.value(), Integer::sum));
            local.forEach((k, sum) -> expected.merge(k, sum + 1000, Integer::sum));
        }
        assertEquals(expected, asUniqueMap(rdd.aggregateByKey(1000, (acc, v) -> acc + v, Integer::sum)));
        assertEquals(expected, asUniqueMap(rdd.foldByKey(1000, 2, (a, b) -> a + b)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void combineByKeyWithAndWithoutMapSideCombineMatchesALoop(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(43, shape.size());
        PairRDD<String, Integer> rdd = pairs(shape, kc, data);
        Map<String, Pair<Integer, Long>> expected = new HashMap<>();
        data.forEach(kv -> expected.merge(kv.key(), Pair.of(1, (long) kv.value()),
                (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value())));

        for (boolean mapSide : new boolean[] {true, false}) {
            PairRDD<String, Pair<Integer, Long>> combined = rdd.combineByKey(
                    v -> Pair.of(1, (long) v),
                    (c, v) -> Pair.of(c.key() + 1, c.value() + v),
                    (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()),
                    new HashPartitioner(3), mapSide);
            assertEquals(expected, asUniqueMap(combined), "mapSideCombine=" + mapSide);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void mapValuesFlatMapValuesKeysAndValuesMatchStreams(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(44, shape.size());
        PairRDD<String, Integer> rdd = pairs(shape, kc, data);

        assertEquals(data.stream().map(kv -> Pair.of(kv.key(), kv.value() * 2)).collect(Collectors.toList()),
                rdd.mapValues(v -> v * 2).collect());
        assertEquals(data.stream().flatMap(kv -> Collections.nCopies(kv.value() % 3, Pair.of(kv.key(), -kv.value())).stream())
                .collect(Collectors.toList()),
                rdd.flatMapValues(v -> Collections.nCopies(v % 3, -v).iterator()).collect());
        assertEquals(data.stream().map(Pair::key).collect(Collectors.toList()), rdd.keys().collect());
        assertEquals(data.stream().map(Pair::value).collect(Collectors.toList()), rdd.values().collect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void countByKeyAndCollectAsMapMatchLoops(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(45, shape.size());
        PairRDD<String, Integer> rdd = pairs(shape, kc, data);
        Map<String, Long> counts = new HashMap<>();
        Map<String, Integer> lastWins = new HashMap<>();
        for (Pair<String, Integer> kv : data) {
            counts.merge(kv.key(), 1L, Long::sum);
            lastWins.put(kv.key(), kv.value());
        }

        assertEquals(counts, rdd.countByKey());
        assertEquals(lastWins, rdd.collectAsMap());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void lookupFindsAllValuesOfAKeyIncludingNull(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(46, shape.size());
        PairRDD<String, Integer> plain = pairs(shape, kc, data);
        PairRDD<String, Integer> partitioned = plain.partitionBy(new HashPartitioner(4));
        List<String> keys = new ArrayList<>(RandomData.KEY_POOL);
        keys.add("absent");

        for (String key : keys) {
            List<Integer> expected = data.stream().filter(kv -> java.util.Objects.equals(kv.key(), key))
                    .map(Pair::value).sorted().collect(Collectors.toList());
            assertEquals(expected, sorted(plain.lookup(key)), "key " + key);
            assertEquals(expected, sorted(partitioned.lookup(key)), "key " + key + ", partitioned");
        }
    }

    @Test
    void lookupOnAPartitionedRddScansOnlyTheKeysPartition(KindlingContext kc) {
        PairRDD<String, Integer> partitioned = kc.parallelizePairs(RandomData.skewedPairs(47, 200), 3)
                .partitionBy(new HashPartitioner(6));
        partitioned.count();
        JobRecorder jobs = JobRecorder.on(kc);

        partitioned.lookup("BB");

        assertEquals(1, jobs.jobCount());
        int expected = new HashPartitioner(6).getPartition("BB");
        assertEquals(List.of(List.of(expected)), jobs.partitionsPerStage().subList(
                jobs.partitionsPerStage().size() - 1, jobs.partitionsPerStage().size()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void partitionByPutsEachKeyInItsPartitionAndKeepsEveryPair(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(48, shape.size());
        Partitioner partitioner = new HashPartitioner(5);
        PairRDD<String, Integer> rdd = pairs(shape, kc, data).partitionBy(partitioner);

        List<List<Pair<String, Integer>>> parts = rdd.rdd().glom().collect();
        assertEquals(5, parts.size());
        List<Pair<String, Integer>> all = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            for (Pair<String, Integer> kv : parts.get(i)) {
                assertEquals(partitioner.getPartition(kv.key()), i, "key " + kv.key());
                all.add(kv);
            }
        }
        assertEquals(sortedPairs(data), sortedPairs(all));
        assertSame(rdd, rdd.partitionBy(new HashPartitioner(5)), "already partitioned that way: no new RDD");
        assertEquals(Optional.of(new HashPartitioner(6)), rdd.partitionBy(new HashPartitioner(6)).partitioner());
    }

    @Test
    void nullValuesSurviveGroupingPartitioningSortingAndJoins(KindlingContext kc) {
        List<Pair<String, Integer>> data = new ArrayList<>();
        for (Pair<String, Integer> kv : RandomData.skewedPairs(49, 300)) {
            data.add(Pair.of(kv.key(), kv.value() % 4 == 0 ? null : kv.value()));
        }
        PairRDD<String, Integer> rdd = kc.parallelizePairs(data, 4);
        Map<String, List<String>> expected = new HashMap<>();
        data.forEach(kv -> expected.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(String.valueOf(kv.value())));
        expected.values().forEach(Collections::sort);

        Map<String, List<String>> grouped = new HashMap<>();
        for (Pair<String, Iterable<Integer>> kv : rdd.groupByKey(3).collect()) {
            List<String> values = new ArrayList<>();
            kv.value().forEach(v -> values.add(String.valueOf(v)));
            Collections.sort(values);
            grouped.put(kv.key(), values);
        }
        assertEquals(expected, grouped);
        assertEquals(sortedPairs(data), sortedPairs(rdd.partitionBy(new HashPartitioner(3)).collect()));
        assertEquals(sortedPairs(data), sortedPairs(rdd.sortByKey().collect()));
        assertEquals(expected.get("BB").size(), rdd.lookup("BB").size());
        assertEquals(data.stream().filter(kv -> "k7".equals(kv.key())).map(kv -> String.valueOf(kv.value())).sorted()
                        .collect(Collectors.toList()),
                rdd.lookup("k7").stream().map(String::valueOf).sorted().collect(Collectors.toList()));

        long joined = 0;
        for (Pair<String, Integer> a : data) {
            for (Pair<String, Integer> b : data) {
                if (java.util.Objects.equals(a.key(), b.key()) && "k8".equals(a.key())) {
                    joined++;
                }
            }
        }
        PairRDD<String, Integer> k8 = rdd.filter(kv -> "k8".equals(kv.key()));
        assertEquals(joined, k8.join(k8, 2).count());
        assertEquals(joined, k8.join(rdd).count());
    }

    // ---- helpers ----

    static PairRDD<String, Integer> pairs(RandomData.Shape shape, KindlingContext kc, List<Pair<String, Integer>> data) {
        return new PairRDD<>(shape.rdd(kc, data));
    }

    /** Collects into a map, failing if a key occurs twice (an aggregation must produce each key once). */
    static <K, V> Map<K, V> asUniqueMap(PairRDD<K, V> rdd) {
        Map<K, V> map = new HashMap<>();
        for (Pair<K, V> kv : rdd.collect()) {
            if (map.containsKey(kv.key())) {
                throw new AssertionError("key " + kv.key() + " occurs twice in " + rdd);
            }
            map.put(kv.key(), kv.value());
        }
        return map;
    }

    static Map<String, List<Integer>> groups(List<Pair<String, Integer>> data) {
        Map<String, List<Integer>> out = new HashMap<>();
        data.forEach(kv -> out.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value()));
        out.values().forEach(Collections::sort);
        return out;
    }

    static List<Integer> sorted(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    static <V> List<Pair<String, V>> sortedPairs(List<Pair<String, V>> list) {
        List<Pair<String, V>> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing((Pair<String, V> kv) -> String.valueOf(kv.key()))
                .thenComparing(kv -> String.valueOf(kv.value())));
        return copy;
    }
}
