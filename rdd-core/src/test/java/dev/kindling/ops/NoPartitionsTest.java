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
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operator on an RDD with no partitions at all ({@code emptyRDD()}, not merely empty
 * partitions), alone and combined with a non-empty RDD: the answers of an empty list, and no error
 * from a zero partition count leaking into a partitioner.
 */
@ExtendWith(LocalContext.class)
class NoPartitionsTest {

    @Test
    void transformationsOfAnRddWithoutPartitionsAreEmpty(KindlingContext kc) {
        RDD<Integer> none = kc.emptyRDD();
        RDD<Integer> some = kc.parallelize(List.of(1, 2, 2, 3), 2);

        assertEquals(List.of(), none.map(x -> x + 1).filter(x -> x > 0).flatMap(x -> List.of(x).iterator()).collect());
        assertEquals(List.of(), none.distinct().collect());
        assertEquals(List.of(), none.intersection(kc.<Integer>emptyRDD()).collect());
        assertEquals(List.of(), none.intersection(some).collect());
        assertEquals(List.of(), some.intersection(none).collect());
        assertEquals(List.of(), none.subtract(some).collect());
        assertEquals(List.of(), none.subtract(kc.<Integer>emptyRDD()).collect());
        assertEquals(List.of(1, 2, 2, 3), sortedInts(some.subtract(none).collect()));
        assertEquals(List.of(1, 2, 2, 3), none.union(some).collect());
        assertEquals(List.of(), none.cartesian(some).collect());
        assertEquals(List.of(), none.zip(kc.<Integer>emptyRDD()).collect());
        assertEquals(List.of(), none.zipWithIndex().collect());
        assertEquals(List.of(), none.zipWithUniqueId().collect());
        assertEquals(List.of(), none.glom().collect());
        assertEquals(List.of(), none.sortBy(x -> x, true, 2).collect());
        assertEquals(List.of(), none.groupBy(x -> x).collect());
        assertEquals(List.of(), none.coalesce(3).collect());
        assertEquals(List.of(), none.repartition(3).collect());
        assertEquals(List.of(), none.sample(true, 2.0, 1).collect());
        assertEquals(2, none.randomSplit(new double[] {1, 1}, 1).size());
    }

    @Test
    void pairOperationsOnAnRddWithoutPartitionsAreEmpty(KindlingContext kc) {
        PairRDD<String, Integer> none = new PairRDD<>(kc.<Pair<String, Integer>>emptyRDD());
        PairRDD<String, Integer> some = kc.parallelizePairs(List.of(Pair.of("a", 1), Pair.of(null, 2)), 2);

        assertEquals(List.of(), none.reduceByKey(Integer::sum).collect());
        assertEquals(List.of(), none.groupByKey().collect());
        assertEquals(List.of(), none.aggregateByKey(0, (a, v) -> a + v, Integer::sum).collect());
        assertEquals(List.of(), none.sortByKey().collect());
        assertEquals(List.of(), none.join(some).collect());
        assertEquals(List.of(), none.subtractByKey(some).collect());
        assertEquals(2, some.subtractByKey(none).count());
        assertEquals(2, some.leftOuterJoin(none).count());
        assertEquals(2, none.rightOuterJoin(some).count());
        assertEquals(2, none.fullOuterJoin(some).count());
        assertEquals(2, none.cogroup(some, none).count());
        assertEquals(Map.of(), none.countByKey());
        assertEquals(Map.of(), none.collectAsMap());
        assertEquals(List.of(), none.lookup("a"));
    }

    @Test
    void actionsOnAnRddWithoutPartitionsGiveTheEmptyAnswers(KindlingContext kc) {
        RDD<Integer> none = kc.emptyRDD();

        assertEquals(0, none.count());
        assertTrue(none.isEmpty());
        assertEquals(List.of(), none.take(5));
        assertEquals(List.of(), none.takeOrdered(5));
        assertEquals(List.of(), none.top(5));
        assertEquals(List.of(), none.takeSample(false, 5, 1));
        assertEquals(List.of(), none.takeSample(true, 5, 1));
        assertEquals(1, none.fold(1, Integer::sum), "the zero is used once, at the driver");
        assertEquals(7, none.aggregate(7, (a, x) -> a + x, Integer::sum));
        assertEquals(7, none.treeAggregate(7, (a, x) -> a + x, Integer::sum));
        assertThrows(UnsupportedOperationException.class, () -> none.treeReduce(Integer::sum));
        assertEquals(Map.of(), none.countByValue());
        assertFalse(none.toLocalIterator().hasNext());
        none.foreach(x -> {
            throw new AssertionError("no element expected");
        });

        DoubleRDD doubles = new DoubleRDD(kc.<Double>emptyRDD());
        assertEquals(0.0, doubles.sum());
        // Spark's stats() reduces per-partition counters: without partitions there is none.
        assertEquals("empty collection", assertThrows(UnsupportedOperationException.class, doubles::stats).getMessage());
        assertThrows(UnsupportedOperationException.class, doubles::mean);
        assertThrows(UnsupportedOperationException.class, () -> doubles.histogram(2));
        assertEquals(List.of(0L), toList(doubles.histogram(new double[] {0, 1})));
    }

    private static List<Long> toList(long[] values) {
        List<Long> out = new ArrayList<>();
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Integer> sortedInts(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
