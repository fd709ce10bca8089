package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression (found by these operator tests): the in-memory shuffle keeps map outputs as object
 * references, and aggregations merged into combiners that were those stored objects (the reduce
 * side of aggregateByKey/combineByKey, and reduceByKey over an already partitioned RDD), so a
 * second action reading the same, reused shuffle output saw values merged twice.
 */
@ExtendWith(LocalContext.class)
class MutableCombinerReuseTest {

    @Test
    void aSecondActionOnAMutableAggregationGivesTheSameAnswer(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(150, 400);
        PairRDD<String, ArrayList<Integer>> lists = kc.parallelizePairs(data, 4).aggregateByKey(new ArrayList<Integer>(), 3,
                (acc, v) -> {
                    acc.add(v);
                    return acc;
                }, (a, b) -> {
                    a.addAll(b);
                    return a;
                });
        Map<String, List<Integer>> expected = PairOperationsTest.groups(data);

        assertEquals(expected, sortedValues(lists.collect()));
        assertEquals(expected, sortedValues(lists.collect()), "second action, reusing the shuffle output");
        assertEquals(expected, sortedValues(lists.mapValues(l -> l).collect()), "another RDD over the same shuffle");
    }

    @Test
    void aSecondActionOnAMutableCombineByKeyWithoutMapSideCombineGivesTheSameAnswer(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(151, 400);
        PairRDD<String, Iterable<Integer>> groups = kc.parallelizePairs(data, 4).groupByKey(3);
        Map<String, List<Integer>> expected = PairOperationsTest.groups(data);

        for (int round = 0; round < 2; round++) {
            Map<String, List<Integer>> actual = new java.util.HashMap<>();
            for (Pair<String, Iterable<Integer>> kv : groups.collect()) {
                List<Integer> values = new ArrayList<>();
                kv.value().forEach(values::add);
                Collections.sort(values);
                actual.put(kv.key(), values);
            }
            assertEquals(expected, actual, "round " + round);
        }
    }

    @Test
    void aSecondActionOnACombineByKeyWhoseCombinerIsTheShuffledValueGivesTheSameAnswer(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(152, 400);
        PairRDD<String, ArrayList<Integer>> lists = kc.parallelizePairs(data, 4)
                .mapValues(v -> new ArrayList<>(List.of(v)))
                .combineByKey(v -> v, (c, v) -> {
                    c.addAll(v);
                    return c;
                }, (a, b) -> {
                    a.addAll(b);
                    return a;
                }, new dev.kindling.scheduler.HashPartitioner(3), false);
        Map<String, List<Integer>> expected = PairOperationsTest.groups(data);

        assertEquals(expected, sortedValues(lists.collect()));
        assertEquals(expected, sortedValues(lists.collect()), "second action, reusing the shuffle output");
    }

    @Test
    void aSecondActionOnAnInPlaceReduceOverAPartitionedRddGivesTheSameAnswer(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(153, 400);
        dev.kindling.scheduler.HashPartitioner three = new dev.kindling.scheduler.HashPartitioner(3);
        PairRDD<String, ArrayList<Integer>> partitioned = kc.parallelizePairs(data, 4)
                .mapValues(v -> new ArrayList<>(List.of(v))).partitionBy(three);
        PairRDD<String, ArrayList<Integer>> lists = partitioned.reduceByKey((a, b) -> {
            a.addAll(b);
            return a;
        }, three);
        Map<String, List<Integer>> expected = PairOperationsTest.groups(data);

        assertEquals(1, PartitionerPropagationTest.shuffleDependencies(lists.rdd()), "combined without a shuffle");
        assertEquals(expected, sortedValues(lists.collect()));
        assertEquals(expected, sortedValues(lists.collect()), "second action, reusing partitionBy's output");
        assertEquals(data.size(), partitioned.collect().stream().mapToInt(kv -> kv.value().size()).sum(),
                "the partitioned values themselves are unchanged");
    }

    private static Map<String, List<Integer>> sortedValues(List<Pair<String, ArrayList<Integer>>> pairs) {
        Map<String, List<Integer>> out = new java.util.HashMap<>();
        for (Pair<String, ArrayList<Integer>> kv : pairs) {
            List<Integer> values = new ArrayList<>(kv.value());
            Collections.sort(values);
            out.put(kv.key(), values);
        }
        return out;
    }
}
