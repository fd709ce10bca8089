package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.scheduler.ClosureSerializer;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.testing.LocalContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RDD#countApproxDistinct} and {@link PairRDD#countApproxDistinctByKey} against exact
 * {@code java.util.stream} distinct counts: every estimate within 4 relative standard deviations
 * of the truth (the data and the hash are fixed, so each check passes or fails the same way on
 * every run), the precision against Spark's closed form, and Spark's argument check.
 */
@ExtendWith(LocalContext.class)
class ApproxDistinctTest {

    /** Fails unless {@code estimate} is within 4 x relativeSD of {@code exact}; returns the relative error. */
    private static double assertWithinFourSigma(long exact, long estimate, double relativeSD, String what) {
        double error = exact == 0 ? estimate : Math.abs(estimate - exact) / (double) exact;
        assertTrue(Math.abs(estimate - exact) <= 4 * relativeSD * exact,
                what + ": estimate " + estimate + " of " + exact + " distinct is off by " + error
                        + ", more than 4 x relativeSD " + relativeSD);
        return error;
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(10, 0.05),
                Arguments.of(1_000, 0.05),
                Arguments.of(100_000, 0.02),
                Arguments.of(1_000_000, 0.01),
                Arguments.of(1_000_000, 0.05));
    }

    @ParameterizedTest(name = "{0} longs, relativeSD {1}")
    @MethodSource("sizes")
    void longsWithDuplicatesAreCountedWithinFourSigma(int n, double relativeSD, KindlingContext kc) {
        long distinct = Math.max(1, n * 2L / 3);
        // Every value repeats: n elements over about 2n/3 values, scattered across partitions.
        long exact = LongStream.range(0, n).map(i -> (i * 7919) % distinct).distinct().count();
        RDD<Long> data = kc.range(0, n, 1, 6).map(i -> (i * 7919) % distinct);

        long estimate = data.countApproxDistinct(relativeSD);

        double error = assertWithinFourSigma(exact, estimate, relativeSD, n + " longs");
        System.out.printf("countApproxDistinct: %d longs, %d distinct, relativeSD %.3f -> %d (error %.4f)%n",
                n, exact, relativeSD, estimate, error);
    }

    @ParameterizedTest(name = "{0} strings")
    @ValueSource(ints = {10, 1_000, 100_000})
    void stringsAreCountedWithinFourSigma(int n, KindlingContext kc) {
        List<String> data = IntStream.range(0, n).mapToObj(i -> "w" + (i * 31 % (n / 2 + 1)))
                .collect(Collectors.toList());
        long exact = data.stream().distinct().count();

        long estimate = kc.parallelize(data, 4).countApproxDistinct(0.05);

        double error = assertWithinFourSigma(exact, estimate, 0.05, n + " strings");
        System.out.printf("countApproxDistinct: %d strings, %d distinct, relativeSD 0.050 -> %d (error %.4f)%n",
                n, exact, estimate, error);
    }

    @Test
    void nullCountsAsOneValueAsInSpark(KindlingContext kc) {
        List<String> small = Arrays.asList("a", null, "b", "a", null, "c", "b", null, "d", "a");
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            large.add(i % 10 == 0 ? null : "v" + (i % 1_700));
        }
        for (List<String> data : List.of(small, large)) {
            long exact = data.stream().distinct().count(); // Stream.distinct keeps one null
            assertEquals(exact, new HashSet<>(data).size());
            long withNull = kc.parallelize(data, 3).countApproxDistinct(0.05);
            long withoutNull = kc.parallelize(data, 3).filter(x -> x != null).countApproxDistinct(0.05);
            assertWithinFourSigma(exact, withNull, 0.05, "with nulls");
            assertWithinFourSigma(exact - 1, withoutNull, 0.05, "nulls removed");
        }
        assertEquals(5, kc.parallelize(small, 3).countApproxDistinct(0.05), "few values are counted exactly");
    }

    @Test
    void oneAndEightPartitionsAgreeWithinBounds(KindlingContext kc) {
        List<Long> data = LongStream.range(0, 200_000).map(i -> (i * i) % 150_001).boxed().collect(Collectors.toList());
        long exact = data.stream().distinct().count();
        for (double relativeSD : new double[] {0.05, 0.01}) {
            long one = kc.parallelize(data, 1).countApproxDistinct(relativeSD);
            long eight = kc.parallelize(data, 8).countApproxDistinct(relativeSD);
            assertWithinFourSigma(exact, one, relativeSD, "1 partition");
            assertWithinFourSigma(exact, eight, relativeSD, "8 partitions");
            assertTrue(Math.abs(one - eight) <= 4 * relativeSD * exact, one + " vs " + eight);
        }
    }

    @Test
    void emptyRddsCountZero(KindlingContext kc) {
        assertEquals(0, kc.<String>emptyRDD().countApproxDistinct(0.05));
        assertEquals(0, kc.parallelize(List.<String>of(), 3).countApproxDistinct(0.05));
        assertEquals(Map.of(), kc.parallelizePairs(List.<Pair<String, String>>of(), 2)
                .countApproxDistinctByKey(0.05).collectAsMap());
    }

    @Test
    void pairsOfSmallIntegersAreToldApart(KindlingContext kc) {
        // Their hashCode()s collide massively (31 * a + b); the 64-bit element hash must not.
        List<Pair<Integer, Integer>> grid = new ArrayList<>();
        for (int a = 0; a < 1_000; a++) {
            for (int b = 0; b < 300; b++) {
                grid.add(Pair.of(a, b));
            }
        }
        assertTrue(grid.stream().map(Pair::hashCode).distinct().count() < 40_000);
        assertEquals(grid.size(), grid.stream().map(ElementHash::hash64).distinct().count());
        assertWithinFourSigma(grid.size(), kc.parallelize(grid, 4).countApproxDistinct(0.02), 0.02, "pairs");
    }

    @Test
    void equalElementsHashEquallyAndTypesAreSalted() {
        assertEquals(ElementHash.hash64("kindling"), ElementHash.hash64(new String("kindling".toCharArray())));
        assertEquals(ElementHash.hash64(Pair.of("a", 1L)), ElementHash.hash64(new Pair<>("a", 1L)));
        assertEquals(ElementHash.hash64(List.of(1, 2, 3)), ElementHash.hash64(new ArrayList<>(List.of(1, 2, 3))));
        assertEquals(ElementHash.hash64(Set.of("x", "y", "z", "w")), ElementHash.hash64(new HashSet<>(List.of("w", "z", "y", "x"))));
        assertEquals(ElementHash.hash64("ab".getBytes(StandardCharsets.UTF_8)), ElementHash.hash64(new byte[] {'a', 'b'}));
        assertEquals(ElementHash.hash64(TimeUnit.SECONDS), ElementHash.hash64(TimeUnit.valueOf("SECONDS")));
        assertEquals(ElementHash.hash64(new Triple<>(1, "b", null)), ElementHash.hash64(new Triple<>(1, "b", null)));
        // Unequal by equals(), so distinct() counts them apart: so must the sketch.
        List<Object> ones = Arrays.asList(1, 1L, "1", (short) 1, (byte) 1, 1.0, 1.0f, '1', true, null,
                List.of(1), Set.of(1), Pair.of(1, null), Optional.of(1), TimeUnit.NANOSECONDS, new byte[] {1});
        assertEquals(ones.size(), ones.stream().map(ElementHash::hash64).distinct().count());
        assertNotEquals(ElementHash.hash64(Pair.of("a", "b")), ElementHash.hash64(Pair.of("b", "a")));
    }

    @ParameterizedTest(name = "relativeSD {0}")
    @ValueSource(doubles = {0.05, 0.01})
    void observedErrorOverIndependentDataSetsMatchesRelativeSd(double relativeSD) {
        // 40 data sets of 100,000 random longs, each sketched in 8 parts and merged as the
        // RDD path does: the root mean square of the relative errors estimates the standard deviation.
        int lgK = ApproxDistinct.lgConfigK(relativeSD, "test");
        Random random = new Random(2026);
        int trials = 40;
        int n = 100_000;
        double sumSquares = 0;
        for (int t = 0; t < trials; t++) {
            DistinctSketch[] parts = new DistinctSketch[8];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = new DistinctSketch(lgK);
            }
            // Random 64-bit values: two of 100,000 coincide with probability 3e-10, so all are distinct.
            for (int i = 0; i < n; i++) {
                parts[i % parts.length].add(random.nextLong());
            }
            DistinctSketch all = new DistinctSketch(lgK);
            for (DistinctSketch p : parts) {
                all.merge(p);
            }
            double error = (all.estimate() - n) / (double) n;
            sumSquares += error * error;
        }
        double rms = Math.sqrt(sumSquares / trials);
        System.out.printf("countApproxDistinct: relativeSD %.3f (lgConfigK %d), %d data sets of %d distinct: observed RMS"
                + " relative error %.4f (%.2f x relativeSD)%n", relativeSD, lgK, trials, n, rms, rms / relativeSD);
        assertTrue(rms <= 1.5 * relativeSD, "RMS relative error " + rms + " for relativeSD " + relativeSD);
    }

    @Test
    void perKeyCountsMatchGroupingBy(KindlingContext kc) {
        List<Pair<String, Integer>> data = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            int values = 10 * k * k + 1; // from 1 to 8,411 distinct values per key
            for (int j = 0; j < 2 * values; j++) {
                data.add(Pair.of("key" + k, j % values));
            }
        }
        for (int j = 0; j < 300; j++) {
            data.add(Pair.of(null, j % 7 == 0 ? null : j % 50)); // a null key, with null among its values
        }
        Collections.shuffle(data, new Random(15));
        Map<Optional<String>, Set<Integer>> exact = data.stream().collect(Collectors.groupingBy(
                kv -> Optional.ofNullable(kv.key()), Collectors.mapping(Pair::value, Collectors.toSet())));
        assertEquals(51, exact.get(Optional.empty()).size());
        PairRDD<String, Integer> pairs = kc.parallelizePairs(data, 5);

        PairRDD<String, Long> byDefault = pairs.countApproxDistinctByKey(0.05);
        PairRDD<String, Long> byCount = pairs.countApproxDistinctByKey(0.02, 3);
        PairRDD<String, Long> byPartitioner = pairs.countApproxDistinctByKey(0.05, new HashPartitioner(7));

        assertEquals(3, byCount.getNumPartitions());
        assertEquals(Optional.of(new HashPartitioner(7)), byPartitioner.partitioner());
        assertEquals(5, byDefault.getNumPartitions());
        for (Pair<PairRDD<String, Long>, Double> run : List.of(Pair.of(byDefault, 0.05), Pair.of(byCount, 0.02),
                Pair.of(byPartitioner, 0.05))) {
            List<Pair<String, Long>> counts = run.key().collect();
            assertEquals(exact.size(), counts.size(), "one count per key");
            for (Pair<String, Long> kv : counts) {
                long expected = exact.get(Optional.ofNullable(kv.key())).size();
                assertWithinFourSigma(expected, kv.value(), run.value(), "key " + kv.key());
            }
        }
    }

    @Test
    void relativeSdMustBeAboveSparksBound(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(List.of(1, 2, 3), 2);
        PairRDD<Integer, Integer> pairs = rdd.mapToPair(x -> Pair.of(x % 2, x));
        for (double bad : new double[] {0.000017, 0.00001, 0, -0.05, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rdd.countApproxDistinct(bad));
            assertTrue(e.getMessage().contains("countApproxDistinct: accuracy (" + bad + ") must be greater than 0.000017"),
                    e.getMessage());
            // Checked where the operation is declared, before any job, as Spark's require.
            IllegalArgumentException byKey = assertThrows(IllegalArgumentException.class,
                    () -> pairs.countApproxDistinctByKey(bad, 2));
            assertTrue(byKey.getMessage().contains("countApproxDistinctByKey: accuracy"), byKey.getMessage());
        }
        // Spark accepts these; DataSketches' largest sketch cannot promise them, and the message says what can be.
        IllegalArgumentException fine = assertThrows(IllegalArgumentException.class, () -> rdd.countApproxDistinct(0.0001));
        assertTrue(fine.getMessage().contains("0.000718") && fine.getMessage().contains("distinct().count()"),
                fine.getMessage());
        assertEquals(3, rdd.countApproxDistinct(0.000718));
        assertEquals(3, rdd.countApproxDistinct(1.0));
    }

    @Test
    void precisionFollowsTheDocumentedErrorAndSparksFormula() {
        for (double relativeSD = 0.0008; relativeSD < 0.5; relativeSD *= 1.07) {
            int lgK = ApproxDistinct.lgConfigK(relativeSD, "test");
            int sparkP = Math.max(4, (int) Math.ceil(2 * Math.log(1.054 / relativeSD) / Math.log(2)));
            assertTrue(Math.abs(lgK - sparkP) <= 1, relativeSD + ": lgConfigK " + lgK + ", Spark's p " + sparkP);
            if (lgK > ApproxDistinct.MIN_LG_K) {
                assertTrue(ApproxDistinct.relativeError(lgK) <= relativeSD && ApproxDistinct.relativeError(lgK - 1) > relativeSD,
                        relativeSD + " -> " + lgK);
            }
        }
        assertEquals(9, ApproxDistinct.lgConfigK(0.05, "test"));
        assertEquals(14, ApproxDistinct.lgConfigK(0.01, "test"));
        assertEquals(4, ApproxDistinct.lgConfigK(0.5, "test"));
        assertEquals(21, ApproxDistinct.lgConfigK(0.000718, "test"));
    }

    @Test
    void sketchesSurviveKryoAndJavaSerializationAndStillMerge() {
        DistinctSketch a = new DistinctSketch(12);
        DistinctSketch b = new DistinctSketch(12);
        IntStream.range(0, 30_000).forEach(i -> a.add("a" + i));
        IntStream.range(20_000, 60_000).forEach(i -> b.add("a" + i));
        KryoSerializer kryo = KryoSerializer.create();
        DistinctSketch viaKryo = kryo.deserialize(kryo.serialize(a));
        DistinctSketch viaJava = ClosureSerializer.copy(a, e -> "copy failed: " + e);
        for (DistinctSketch copy : List.of(viaKryo, viaJava)) {
            assertEquals(a.estimate(), copy.estimate());
            assertEquals(12, copy.lgConfigK());
            long merged = copy.merge(b).estimate();
            assertWithinFourSigma(60_000, merged, ApproxDistinct.relativeError(12), "merged copy");
        }
        assertEquals(viaKryo.estimate(), viaJava.estimate());
        IllegalStateException damaged = assertThrows(IllegalStateException.class,
                () -> DistinctSketch.fromByteArray(Arrays.copyOf(a.toByteArray(), 5)));
        assertTrue(damaged.getMessage().contains("not a DataSketches HLL image"), damaged.getMessage());
    }
}
