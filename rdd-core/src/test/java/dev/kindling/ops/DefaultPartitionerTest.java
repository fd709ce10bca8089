package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: joins, cogroup and reduce without a partition count reused an existing partitioner
 * only when it had at least as many partitions as the largest input. Spark's
 * {@code Partitioner.defaultPartitioner} reuses the largest existing partitioner when it is within
 * 10x of the largest input's partition count, or not smaller than the default count.
 */
@ExtendWith(LocalContext.class)
class DefaultPartitionerTest {

    private static final List<Pair<Integer, Integer>> LEFT = pairs(0, 300);
    private static final List<Pair<Integer, Integer>> RIGHT = pairs(7, 200);

    @Test
    void aHashPartitionerOfTwoJoinedWithTenPartitionsIsReusedWithOneShuffleLess(KindlingContext kc) {
        PairRDD<Integer, Integer> two = kc.parallelizePairs(LEFT, 3).partitionBy(new HashPartitioner(2));
        PairRDD<Integer, Integer> ten = kc.parallelizePairs(RIGHT, 10);
        two.count();  // runs partitionBy's shuffle once; the join reuses its output
        JobRecorder jobs = JobRecorder.on(kc);

        PairRDD<Integer, Pair<Integer, Integer>> joined = two.join(ten);

        assertEquals(Optional.of(new HashPartitioner(2)), joined.partitioner());
        assertEquals(2, joined.rdd().numPartitions());
        assertEquals(referenceJoin(LEFT, RIGHT), sorted(joined.collect()));
        assertEquals(1, jobs.shuffleMapStageCount(), "only the 10-partition side is shuffled");
        assertEquals(Optional.of(new HashPartitioner(2)), ten.cogroup(two).partitioner());
    }

    @Test
    void aPartitionerMoreThanTenTimesSmallerIsNotReused(KindlingContext kc) {
        PairRDD<Integer, Integer> two = kc.parallelizePairs(LEFT, 3).partitionBy(new HashPartitioner(2));
        PairRDD<Integer, Integer> thirty = kc.parallelizePairs(RIGHT, 30);

        PairRDD<Integer, Pair<Integer, Integer>> joined = two.join(thirty);

        assertEquals(Optional.of(new HashPartitioner(30)), joined.partitioner());
        assertEquals(referenceJoin(LEFT, RIGHT), sorted(joined.collect()));
    }

    @Test
    void anIneligiblePartitionerIsReusedWhenNotSmallerThanTheDefaultParallelism() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config("kindling.default.parallelism", "2").build()) {
            PairRDD<Integer, Integer> two = kc.parallelizePairs(LEFT, 3).partitionBy(new HashPartitioner(2));
            PairRDD<Integer, Integer> thirty = kc.parallelizePairs(RIGHT, 30);
            assertEquals(Optional.of(new HashPartitioner(2)), two.join(thirty).partitioner());
            assertEquals(Optional.of(new HashPartitioner(2)), thirty.reduceByKey(Integer::sum).partitioner(),
                    "no parent partitioner: hash on the default parallelism");
            assertEquals(referenceJoin(LEFT, RIGHT), sorted(two.join(thirty).collect()));
        }
    }

    private static List<Pair<Integer, Integer>> pairs(int seed, int n) {
        return IntStream.range(0, n).mapToObj(i -> Pair.of((i * 31 + seed) % 97, i)).collect(Collectors.toList());
    }

    private static List<String> referenceJoin(List<Pair<Integer, Integer>> left, List<Pair<Integer, Integer>> right) {
        Map<Integer, List<Integer>> byKey = right.stream().collect(Collectors.groupingBy(Pair::key, TreeMap::new,
                Collectors.mapping(Pair::value, Collectors.toList())));
        List<String> out = new ArrayList<>();
        for (Pair<Integer, Integer> l : left) {
            for (Integer w : byKey.getOrDefault(l.key(), List.of())) {
                out.add(l.key() + "=" + l.value() + "," + w);
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(List<Pair<Integer, Pair<Integer, Integer>>> joined) {
        return joined.stream().map(p -> p.key() + "=" + p.value().key() + "," + p.value().value())
                .sorted().collect(Collectors.toList());
    }
}
