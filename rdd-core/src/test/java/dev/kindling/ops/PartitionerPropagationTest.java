package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.testing.LocalContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which operations keep a pair RDD's partitioner, and that aggregations and joins over RDDs already
 * partitioned by an equal partitioner add no shuffle: counted both in the lineage (shuffle
 * dependencies) and in what the scheduler actually ran (shuffle-map stages).
 */
@ExtendWith(LocalContext.class)
class PartitionerPropagationTest {

    private static final Partitioner FOUR = new HashPartitioner(4);

    @Test
    void filterMapValuesAndFlatMapValuesKeepThePartitionerMapAndFlatMapDropIt(KindlingContext kc) {
        PairRDD<String, Integer> partitioned = kc.parallelizePairs(RandomData.skewedPairs(120, 100), 3).partitionBy(FOUR);

        assertEquals(Optional.of(FOUR), partitioned.partitioner());
        assertEquals(Optional.of(FOUR), partitioned.filter(kv -> kv.value() > 10).partitioner());
        assertEquals(Optional.of(FOUR), partitioned.mapValues(v -> v + 1).partitioner());
        assertEquals(Optional.of(FOUR), partitioned.flatMapValues(v -> List.of(v, v).iterator()).partitioner());
        assertEquals(Optional.empty(), partitioned.map(kv -> kv).partitioner());
        assertEquals(Optional.empty(), partitioned.mapToPair(kv -> kv).partitioner());
        assertEquals(Optional.empty(), partitioned.flatMap(kv -> List.of(kv).iterator()).partitioner());
        assertEquals(Optional.of(FOUR), partitioned.reduceByKey(Integer::sum).partitioner());
        assertEquals(Optional.of(new HashPartitioner(2)), partitioned.reduceByKey(Integer::sum, 2).partitioner());
    }

    @Test
    void reduceByKeyOnAnEquallyPartitionedRddAddsNoShuffle(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(121, 500);
        PairRDD<String, Integer> partitioned = kc.parallelizePairs(data, 3).partitionBy(FOUR).filter(kv -> true);
        Map<String, Integer> expected = new HashMap<>();
        data.forEach(kv -> expected.merge(kv.key(), kv.value(), Integer::sum));
        JobRecorder jobs = JobRecorder.on(kc);

        boolean first = true;
        for (PairRDD<String, Integer> reduced : List.of(partitioned.reduceByKey(Integer::sum, FOUR),
                partitioned.reduceByKey(Integer::sum, 4), partitioned.reduceByKey(Integer::sum),
                partitioned.mapValues(v -> v).foldByKey(0, Integer::sum))) {
            assertEquals(1, shuffleDependencies(reduced.rdd()), reduced.toDebugString());
            jobs.reset();
            assertEquals(expected, PairOperationsTest.asUniqueMap(reduced));
            assertEquals(first ? 1 : 0, jobs.shuffleMapStageCount(),
                    "only partitionBy's map stage ran, and only the first time (its output is kept)");
            first = false;
        }

        PairRDD<String, Integer> remapped = partitioned.mapToPair(kv -> kv).reduceByKey(Integer::sum, 4);
        assertEquals(2, shuffleDependencies(remapped.rdd()), "map dropped the partitioner, so a shuffle is needed");
        assertEquals(expected, PairOperationsTest.asUniqueMap(remapped));
    }

    @Test
    void groupByKeyAndPartitionByOnAnEquallyPartitionedRddAddNoShuffle(KindlingContext kc) {
        PairRDD<String, Integer> partitioned = kc.parallelizePairs(RandomData.skewedPairs(122, 300), 3).partitionBy(FOUR);

        assertEquals(1, shuffleDependencies(partitioned.groupByKey(4).rdd()));
        assertEquals(1, shuffleDependencies(partitioned.mapValues(v -> v).partitionBy(new HashPartitioner(4)).rdd()));
        assertEquals(2, shuffleDependencies(partitioned.groupByKey(5).rdd()));
    }

    @Test
    void joinOfTwoEquallyPartitionedRddsAddsNoShuffle(KindlingContext kc) {
        List<Pair<String, Integer>> left = RandomData.skewedPairs(123, 200);
        List<Pair<String, Integer>> right = RandomData.skewedPairs(124, 50);
        PairRDD<String, Integer> l = kc.parallelizePairs(left, 3).partitionBy(FOUR);
        PairRDD<String, Integer> r = kc.parallelizePairs(right, 2).partitionBy(new HashPartitioner(4)).mapValues(v -> -v);
        long expectedCount = 0;
        for (Pair<String, Integer> a : left) {
            for (Pair<String, Integer> b : right) {
                if (java.util.Objects.equals(a.key(), b.key())) {
                    expectedCount++;
                }
            }
        }
        JobRecorder jobs = JobRecorder.on(kc);

        PairRDD<String, Pair<Integer, Integer>> joined = l.join(r);
        assertEquals(Optional.of(FOUR), joined.partitioner());
        assertEquals(2, shuffleDependencies(joined.rdd()), "only the two partitionBy shuffles");
        assertEquals(expectedCount, joined.count());
        assertEquals(2, jobs.shuffleMapStageCount());

        jobs.reset();
        PairRDD<String, Pair<Integer, Integer>> half = l.join(kc.parallelizePairs(right, 2));
        assertEquals(2, shuffleDependencies(half.rdd()), "l's partitionBy, plus a shuffle of the unpartitioned side");
        assertEquals(expectedCount, half.count());
        assertEquals(1, jobs.shuffleMapStageCount(), "l's shuffle output is reused; only the new side's map stage runs");
    }

    @Test
    void defaultPartitionerReusesTheLargestParentsPartitioner(KindlingContext kc) {
        PairRDD<String, Integer> partitioned = kc.parallelizePairs(RandomData.skewedPairs(125, 100), 2)
                .partitionBy(new HashPartitioner(6));
        PairRDD<String, Integer> plain = kc.parallelizePairs(RandomData.skewedPairs(126, 100), 3);

        assertEquals(Optional.of(new HashPartitioner(6)), partitioned.cogroup(plain).partitioner());
        assertEquals(Optional.of(new HashPartitioner(6)), plain.join(partitioned).partitioner());
        assertEquals(Optional.of(new HashPartitioner(3)), plain.reduceByKey(Integer::sum).partitioner());
    }

    /** Number of distinct shuffle dependencies in the lineage of {@code root}. */
    static int shuffleDependencies(Lineage root) {
        Set<Integer> shuffles = new HashSet<>();
        Set<Integer> seen = new HashSet<>();
        Deque<Lineage> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Lineage node = todo.pop();
            if (!seen.add(node.id())) {
                continue;
            }
            for (Dependency dep : node.dependencies()) {
                if (dep instanceof ShuffleDependency s) {
                    shuffles.add(s.shuffleId());
                }
                todo.push(dep.parent());
            }
        }
        return shuffles.size();
    }
}
