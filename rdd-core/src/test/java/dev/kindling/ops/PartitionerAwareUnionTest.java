package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: {@code union} of RDDs with the same partitioner concatenated their partitions and
 * dropped the partitioner, so a later reduce or join shuffled again and a save wrote twice the
 * files. Spark's partitioner-aware union keeps the partitioner and the partition count, partition
 * i being the inputs' partitions i one after another.
 */
@ExtendWith(LocalContext.class)
class PartitionerAwareUnionTest {

    private static final HashPartitioner FOUR = new HashPartitioner(4);

    @TempDir
    Path dir;

    @Test
    void aUnionOfEquallyPartitionedRddsKeepsThePartitionerAndAddsNoShuffle(KindlingContext kc) {
        List<Pair<String, Integer>> left = RandomData.skewedPairs(301, 200);
        List<Pair<String, Integer>> right = RandomData.skewedPairs(302, 120);
        PairRDD<String, Integer> a = kc.parallelizePairs(left, 3).partitionBy(FOUR);
        PairRDD<String, Integer> b = kc.parallelizePairs(right, 5).partitionBy(new HashPartitioner(4)).mapValues(v -> -v);

        RDD<Pair<String, Integer>> union = a.rdd().union(b.rdd());

        assertEquals(Optional.of(FOUR), union.partitioner());
        assertEquals(4, union.numPartitions());
        List<List<Pair<String, Integer>>> ga = a.rdd().glom().collect();
        List<List<Pair<String, Integer>>> gb = b.rdd().glom().collect();
        List<List<Pair<String, Integer>>> gu = union.glom().collect();
        for (int i = 0; i < 4; i++) {
            List<Pair<String, Integer>> expected = new ArrayList<>(ga.get(i));
            expected.addAll(gb.get(i));
            assertEquals(expected, gu.get(i), "partition " + i + " is a's partition " + i + " then b's");
        }

        JobRecorder jobs = JobRecorder.on(kc);
        PairRDD<String, Integer> summed = new PairRDD<>(union).reduceByKey(Integer::sum);
        assertEquals(2, PartitionerPropagationTest.shuffleDependencies(summed.rdd()), "only the two partitionBy shuffles");
        Map<String, Integer> reference = Stream.concat(left.stream(), right.stream().map(p -> Pair.of(p.key(), -p.value())))
                .collect(Collectors.toMap(p -> String.valueOf(p.key()), Pair::value, Integer::sum, TreeMap::new));
        Map<String, Integer> actual = summed.collect().stream()
                .collect(Collectors.toMap(p -> String.valueOf(p.key()), Pair::value, Integer::sum, TreeMap::new));
        assertEquals(reference, actual);
        assertEquals(0, jobs.shuffleMapStageCount(), "the partitionBy outputs are reused; the reduce adds no stage");
        assertEquals(Optional.of(FOUR), kc.union(List.of(a.rdd(), b.rdd(), a.rdd())).partitioner());
    }

    @Test
    void savingSuchAUnionWritesOneFilePerPartitionerPartition(KindlingContext kc) throws IOException {
        PairRDD<String, Integer> a = kc.parallelizePairs(RandomData.skewedPairs(303, 50), 2).partitionBy(FOUR);
        PairRDD<String, Integer> b = kc.parallelizePairs(RandomData.skewedPairs(304, 50), 2).partitionBy(FOUR);
        Path out = dir.resolve("out");

        a.rdd().union(b.rdd()).saveAsTextFile(out.toString());

        try (Stream<Path> files = Files.list(out)) {
            assertEquals(4, files.filter(p -> p.getFileName().toString().startsWith("part-")).count());
        }
    }

    @Test
    void differentOrMissingPartitionersStillConcatenate(KindlingContext kc) {
        PairRDD<String, Integer> four = kc.parallelizePairs(RandomData.skewedPairs(305, 40), 2).partitionBy(FOUR);
        PairRDD<String, Integer> three = kc.parallelizePairs(RandomData.skewedPairs(306, 40), 2).partitionBy(new HashPartitioner(3));
        PairRDD<String, Integer> plain = kc.parallelizePairs(RandomData.skewedPairs(307, 40), 2);

        RDD<Pair<String, Integer>> mixed = four.rdd().union(three.rdd());
        assertEquals(Optional.empty(), mixed.partitioner());
        assertEquals(7, mixed.numPartitions());
        assertEquals(Optional.empty(), four.rdd().union(plain.rdd()).partitioner());
        assertEquals(6, four.rdd().union(plain.rdd()).numPartitions());
        List<Pair<String, Integer>> expected = new ArrayList<>(four.collect());
        expected.addAll(three.collect());
        assertEquals(expected, mixed.collect());
        // An input without partitions does not count (Spark filters them out first).
        assertEquals(Optional.of(FOUR), four.rdd().union(kc.emptyRDD()).partitioner());
    }
}
