package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PairRDD#sampleByKey} and {@link PairRDD#sampleByKeyExact} with Spark's semantics: exact
 * per-key sizes {@code ceil(fraction * count)} checked against a java.util.stream count, and the
 * plain variant within statistical bounds (six standard deviations, for a fixed seed, so the
 * check is deterministic and not near its edge).
 */
@ExtendWith(LocalContext.class)
class SampleByKeyTest {

    /** Skewed keys: key k (0..5) has 20 + 700 * k pairs, unevenly spread over partitions; values unique. */
    private static List<Pair<Integer, Integer>> skewed() {
        return IntStream.range(0, 6).boxed()
                .flatMap(k -> IntStream.range(0, 20 + 700 * k).mapToObj(i -> Pair.of(k, k * 100_000 + i)))
                .sorted((a, b) -> Integer.compare(Integer.hashCode(a.value() * 7919), Integer.hashCode(b.value() * 7919)))
                .collect(Collectors.toList());
    }

    private static final Map<Integer, Double> FRACTIONS = Map.of(0, 0.5, 1, 0.0, 2, 1.0, 3, 0.123, 4, 0.01, 5, 0.77);

    private static Map<Integer, Long> countByKey(List<Pair<Integer, Integer>> pairs) {
        return pairs.stream().collect(Collectors.groupingBy(Pair::key, Collectors.counting()));
    }

    private static Map<Integer, Long> exactSizes(List<Pair<Integer, Integer>> data, Map<Integer, Double> fractions) {
        Map<Integer, Long> expected = new HashMap<>();
        countByKey(data).forEach((k, n) -> expected.put(k, (long) Math.ceil(n * fractions.get(k))));
        expected.values().removeIf(n -> n == 0);
        return expected;
    }

    @Test
    void sampleByKeyExactWithoutReplacementHasExactlyCeilFractionTimesCountPerKey(KindlingContext kc) {
        List<Pair<Integer, Integer>> data = skewed();
        PairRDD<Integer, Integer> pairs = kc.parallelizePairs(data, 5);
        for (long seed : new long[] {1, 42, -7}) {
            List<Pair<Integer, Integer>> sample = pairs.sampleByKeyExact(false, FRACTIONS, seed).collect();
            assertEquals(exactSizes(data, FRACTIONS), countByKey(sample), "seed " + seed);
            assertEquals(sample.size(), new HashSet<>(sample).size(), "without replacement no pair twice");
            assertTrue(new HashSet<>(data).containsAll(sample));
        }
    }

    @Test
    void sampleByKeyExactWithReplacementHasExactlyCeilFractionTimesCountPerKey(KindlingContext kc) {
        List<Pair<Integer, Integer>> data = skewed();
        Map<Integer, Double> fractions = new HashMap<>(FRACTIONS);
        fractions.put(2, 2.5); // with replacement a fraction may exceed 1
        PairRDD<Integer, Integer> pairs = kc.parallelizePairs(data, 4);
        for (long seed : new long[] {3, 99}) {
            List<Pair<Integer, Integer>> sample = pairs.sampleByKeyExact(true, fractions, seed).collect();
            assertEquals(exactSizes(data, fractions), countByKey(sample), "seed " + seed);
            assertTrue(new HashSet<>(data).containsAll(sample));
            assertTrue(sample.size() > new HashSet<>(sample).size(), "with replacement some pairs repeat");
        }
    }

    @Test
    void sampleByKeyExactRunsNoJobAtDeclarationAndIsReproducible(KindlingContext kc) {
        JobRecorder jobs = JobRecorder.on(kc);
        PairRDD<Integer, Integer> pairs = kc.parallelizePairs(skewed(), 3).partitionBy(new HashPartitioner(3));
        PairRDD<Integer, Integer> sample = pairs.sampleByKeyExact(false, FRACTIONS, 5);
        assertEquals(0, jobs.jobCount(), "no job before an action");
        assertEquals(pairs.partitioner(), sample.partitioner(), "the partitioner is kept");
        List<Pair<Integer, Integer>> first = sample.collect();
        assertEquals(first, sample.collect(), "the same RDD gives the same sample");
        assertEquals(first, pairs.sampleByKeyExact(false, FRACTIONS, 5).collect(), "the same seed gives the same sample");
    }

    @Test
    void sampleByKeyStaysWithinSixStandardDeviationsOfTheExpectedSize(KindlingContext kc) {
        int perKey = 20_000;
        List<Pair<String, Integer>> data = IntStream.range(0, 2 * perKey)
                .mapToObj(i -> Pair.of(i % 2 == 0 ? "a" : "b", i)).collect(Collectors.toList());
        Map<String, Double> fractions = Map.of("a", 0.3, "b", 0.05);
        PairRDD<String, Integer> pairs = kc.parallelizePairs(data, 4);
        for (boolean withReplacement : new boolean[] {false, true}) {
            List<Pair<String, Integer>> sample = pairs.sampleByKey(withReplacement, fractions, 17).collect();
            Map<String, Long> sizes = sample.stream().collect(Collectors.groupingBy(Pair::key, Collectors.counting()));
            for (Map.Entry<String, Double> e : fractions.entrySet()) {
                double f = e.getValue();
                double mean = perKey * f;
                // Bernoulli: n f (1 - f); Poisson: n f.
                double sd = Math.sqrt(perKey * f * (withReplacement ? 1 : 1 - f));
                long size = sizes.getOrDefault(e.getKey(), 0L);
                assertTrue(Math.abs(size - mean) < 6 * sd, "key " + e.getKey() + " withReplacement=" + withReplacement
                        + ": " + size + " pairs, expected " + mean + " +- " + 6 * sd);
            }
            Map<Pair<String, Integer>, Long> copies = sample.stream().collect(Collectors.groupingBy(Function.identity(),
                    Collectors.counting()));
            assertEquals(!withReplacement, copies.values().stream().allMatch(c -> c == 1),
                    "repeats only with replacement");
            assertTrue(new HashSet<>(data).containsAll(copies.keySet()));
        }
    }

    @Test
    void aKeyWithoutAFractionFailsTheJobNamingTheKey(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(List.of(Pair.of("a", 1), Pair.of("zebra", 2)), 2);
        Exception e = assertThrows(Exception.class, () -> pairs.sampleByKey(false, Map.of("a", 0.5), 1).collect());
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("no sampling fraction for key zebra"), cause.getMessage());
    }

    @Test
    void anOutOfRangeFractionIsRejectedAtDeclaration(KindlingContext kc) {
        PairRDD<String, Integer> pairs = kc.parallelizePairs(List.of(Pair.of("a", 1)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pairs.sampleByKeyExact(false, Map.of("a", 1.5), 1));
        assertTrue(e.getMessage().contains("key a is 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pairs.sampleByKey(true, Map.of("a", -0.1), 1));
    }
}
