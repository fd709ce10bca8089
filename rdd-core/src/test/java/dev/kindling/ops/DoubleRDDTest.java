package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.DoubleRDD;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.StatCounter;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Statistics and histograms of {@link DoubleRDD}, checked against two-pass loops and hand-counted buckets. */
@ExtendWith(LocalContext.class)
class DoubleRDDTest {

    private static final String SHAPES = "dev.kindling.ops.RandomData#shapes";

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void statisticsMatchATwoPassComputation(RandomData.Shape shape, KindlingContext kc) {
        List<Double> data = RandomData.doubles(100, shape.size());
        DoubleRDD rdd = new DoubleRDD(shape.rdd(kc, data));
        int n = data.size();
        double sum = 0;
        for (double x : data) {
            sum += x;
        }
        double mean = sum / n;
        double squares = 0;
        for (double x : data) {
            squares += (x - mean) * (x - mean);
        }

        assertEquals(sum, rdd.sum(), 1e-9 * Math.max(1, Math.abs(sum) + n));
        StatCounter stats = rdd.stats();
        assertEquals(n, stats.count());
        if (n == 0) {
            // Spark's StatCounter: the mean of nothing is its running mean, 0; the variances are NaN.
            assertEquals(0.0, rdd.mean());
            assertTrue(Double.isNaN(rdd.variance()) && Double.isNaN(rdd.sampleStdev()));
            assertThrows(UnsupportedOperationException.class, rdd::min);
            assertThrows(UnsupportedOperationException.class, rdd::max);
            return;
        }
        double tolerance = 1e-9 * (1 + squares / n);
        assertEquals(mean, rdd.mean(), 1e-9 * (1 + Math.abs(mean)));
        assertEquals(squares / n, rdd.variance(), tolerance);
        assertEquals(Math.sqrt(squares / n), rdd.stdev(), 1e-9 * (1 + Math.sqrt(squares / n)));
        if (n > 1) {
            assertEquals(squares / (n - 1), rdd.sampleVariance(), tolerance);
            assertEquals(Math.sqrt(squares / (n - 1)), rdd.sampleStdev(), 1e-9 * (1 + Math.sqrt(squares / n)));
        } else {
            assertTrue(Double.isNaN(rdd.sampleVariance()));
        }
        double min = data.stream().mapToDouble(x -> x).min().orElseThrow();
        double max = data.stream().mapToDouble(x -> x).max().orElseThrow();
        assertEquals(min, rdd.min());
        assertEquals(max, rdd.max());
        assertEquals(min, stats.min());
        assertEquals(max, stats.max());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void histogramWithEvenBucketsMatchesHandCounting(RandomData.Shape shape, KindlingContext kc) {
        List<Double> data = RandomData.doubles(101, shape.size());
        if (data.isEmpty()) {
            return;
        }
        DoubleRDD rdd = new DoubleRDD(shape.rdd(kc, data));
        double min = data.stream().mapToDouble(x -> x).min().orElseThrow();
        double max = data.stream().mapToDouble(x -> x).max().orElseThrow();

        for (int k : new int[] {1, 2, 7, 50}) {
            Pair<double[], long[]> histogram = rdd.histogram(k);
            if (min == max) {
                assertArrayEquals(new double[] {min, max}, histogram.key());
                assertArrayEquals(new long[] {data.size()}, histogram.value());
                continue;
            }
            double[] bounds = new double[k + 1];
            for (int i = 0; i < k; i++) {
                bounds[i] = min + (max - min) * i / k;
            }
            bounds[k] = max;
            assertArrayEquals(bounds, histogram.key(), 1e-9 * (max - min));
            assertArrayEquals(countByHand(data, histogram.key()), histogram.value(), k + " buckets");
        }
    }

    @Test
    void valuesOnABoundaryGoToTheUpperBucketExceptTheMaximum(KindlingContext kc) {
        DoubleRDD rdd = kc.parallelizeDoubles(IntStream.rangeClosed(0, 100).mapToObj(i -> (double) i)
                .collect(Collectors.toList()), 3);

        Pair<double[], long[]> histogram = rdd.histogram(10);

        assertArrayEquals(new double[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, histogram.key());
        assertArrayEquals(new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 11}, histogram.value());
    }

    @Test
    void histogramOfEqualValuesHasOneBucket(KindlingContext kc) {
        Pair<double[], long[]> histogram = kc.parallelizeDoubles(List.of(2.5, 2.5, 2.5), 2).histogram(4);

        assertArrayEquals(new double[] {2.5, 2.5}, histogram.key());
        assertArrayEquals(new long[] {3}, histogram.value());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void histogramOfNanOrInfinityFails(double bad, KindlingContext kc) {
        DoubleRDD rdd = kc.parallelizeDoubles(List.of(1.0, bad, 3.0), 2);

        assertThrows(UnsupportedOperationException.class, () -> rdd.histogram(3));
    }

    @Test
    void histogramOfAnEmptyRddFails(KindlingContext kc) {
        assertThrows(UnsupportedOperationException.class, () -> kc.parallelizeDoubles(List.of(), 2).histogram(3));
        assertThrows(IllegalArgumentException.class, () -> kc.parallelizeDoubles(List.of(1.0), 1).histogram(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void histogramWithGivenBoundsIgnoresOutsidersAndClosesTheLastBucket(RandomData.Shape shape, KindlingContext kc) {
        List<Double> data = new ArrayList<>(RandomData.doubles(102, shape.size()));
        if (!data.isEmpty()) {
            data.set(0, 500.0);
            data.set(data.size() - 1, -200.0);
        }
        double[] bounds = {-200, -50, 3.0, 100, 500};
        DoubleRDD rdd = new DoubleRDD(shape.rdd(kc, data));

        long[] counts = rdd.histogram(bounds);

        assertArrayEquals(countByHand(data, bounds), counts);
        if (data.size() > 1) {
            assertTrue(counts[0] >= 1 && counts[3] >= 1, "both end values are counted");
        }
    }

    @Test
    void histogramWithGivenBoundsOnSmallExample(KindlingContext kc) {
        DoubleRDD rdd = kc.parallelizeDoubles(List.of(-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.0, 2.5, Double.NaN), 3);

        assertArrayEquals(new long[] {2, 4}, rdd.histogram(new double[] {0, 1, 2}));
        assertArrayEquals(new long[] {8}, rdd.histogram(new double[] {-1, 2.5}), "NaN is never counted");
    }

    @Test
    void histogramRejectsTooFewOrUnsortedBounds(KindlingContext kc) {
        DoubleRDD rdd = kc.parallelizeDoubles(List.of(1.0, 2.0), 1);

        assertThrows(IllegalArgumentException.class, () -> rdd.histogram(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> rdd.histogram(new double[] {3, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> rdd.histogram(new double[] {0, Double.NaN}));
    }

    /** Bucket i is [b_i, b_i+1) except the last, [b_n-1, b_n]; values outside (and NaN) are not counted. */
    private static long[] countByHand(List<Double> data, double[] b) {
        int n = b.length - 1;
        long[] counts = new long[n];
        for (double x : data) {
            for (int i = 0; i < n; i++) {
                boolean last = i == n - 1;
                if (x >= b[i] && (x < b[i + 1] || (last && x <= b[i + 1]))) {
                    counts[i]++;
                    break;
                }
            }
        }
        return counts;
    }
}
