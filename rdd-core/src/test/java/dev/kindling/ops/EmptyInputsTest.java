package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.DoubleRDD;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.StatCounter;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: empty inputs answered differently from Spark. Spark's {@code StatCounter} has mean 0
 * (not NaN) when it counted nothing and {@code stats()} of an RDD without partitions is a reduce of
 * nothing ("empty collection"); {@code take(-1)} is an empty list, not an error; and
 * {@code distinct}/{@code reduceByKey}/{@code groupByKey} of an RDD without partitions keep the
 * default-partitioner rule, so they have 0 partitions (or {@code kindling.default.parallelism}).
 */
@ExtendWith(LocalContext.class)
class EmptyInputsTest {

    @Test
    void statsOfEmptyPartitionsCountNothingWithMeanZeroAsSpark(KindlingContext kc) {
        DoubleRDD empty = new DoubleRDD(kc.<Double>parallelize(List.of(), 3));

        StatCounter stats = empty.stats();
        assertEquals(0, stats.count());
        assertEquals(0.0, stats.mean());
        assertEquals(0.0, empty.mean());
        assertEquals(0.0, empty.sum());
        assertTrue(Double.isNaN(empty.variance()) && Double.isNaN(empty.stdev()) && Double.isNaN(empty.sampleVariance()));
        assertEquals(Double.NEGATIVE_INFINITY, stats.max());
        assertEquals(Double.POSITIVE_INFINITY, stats.min());
        assertEquals(0.0, new StatCounter().mean());
    }

    @Test
    void statsOfAnRddWithoutPartitionsIsAReduceOfNothing(KindlingContext kc) {
        DoubleRDD none = new DoubleRDD(kc.<Double>emptyRDD());

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, none::stats);
        assertEquals("empty collection", e.getMessage());
        assertThrows(UnsupportedOperationException.class, none::mean);
        assertEquals(0.0, none.sum(), "sum is a fold: the zero");
    }

    @Test
    void takeOfANegativeCountIsEmpty(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(IntStream.range(0, 10).boxed().collect(Collectors.toList()), 3);

        assertEquals(List.of(), rdd.take(-1));
        assertEquals(List.of(), rdd.take(Integer.MIN_VALUE));
        assertEquals(List.of(), kc.<Integer>emptyRDD().take(-1));
    }

    @Test
    void shufflesOfAnRddWithoutPartitionsHaveNoPartitions(KindlingContext kc) {
        RDD<Integer> none = kc.emptyRDD();
        PairRDD<String, Integer> pairs = new PairRDD<>(kc.<Pair<String, Integer>>emptyRDD());

        assertEquals(0, none.distinct().numPartitions());
        assertEquals(0, pairs.reduceByKey(Integer::sum).rdd().numPartitions());
        assertEquals(0, pairs.groupByKey().rdd().numPartitions());
        assertEquals(List.of(), none.distinct().collect());
        assertEquals(List.of(), pairs.reduceByKey(Integer::sum).reduceByKey(Integer::sum).collect());
        assertEquals(List.of(), pairs.groupByKey().collect());
        // Empty partitions are partitions: the counts follow the parent, as in Spark.
        assertEquals(3, kc.<Integer>parallelize(List.of(), 3).distinct().numPartitions());
        assertEquals(3, new PairRDD<>(kc.<Pair<String, Integer>>parallelize(List.of(), 3)).groupByKey().rdd().numPartitions());
    }

    @Test
    void withADefaultParallelismTheyHashIntoThatMany() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.default.parallelism", "5").build()) {
            PairRDD<String, Integer> pairs = new PairRDD<>(kc.<Pair<String, Integer>>emptyRDD());
            assertEquals(5, pairs.reduceByKey(Integer::sum).rdd().numPartitions());
            assertEquals(5, pairs.groupByKey().rdd().numPartitions());
            assertEquals(0, kc.<Integer>emptyRDD().distinct().numPartitions(), "distinct() keeps the parent's count");
            assertEquals(List.of(), pairs.groupByKey().collect());
        }
    }
}
