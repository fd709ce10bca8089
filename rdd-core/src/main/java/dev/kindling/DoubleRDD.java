package dev.kindling;

import java.util.Arrays;
import java.util.List;

/**
 * Numeric operations over an RDD of doubles: sum, mean, variance, histogram. A thin typed view over
 * {@link #rdd()}, like Spark's {@code JavaDoubleRDD}; every {@link RDD} operation is available
 * directly too (from {@link RDDLike} and {@link RDDActions}), those that keep the element type
 * returning a {@code DoubleRDD}. Variance and stdev are population statistics; the {@code sample}
 * variants divide by {@code n - 1}.
 */
public final class DoubleRDD implements RDDLike<Double, DoubleRDD> {

    private final RDD<Double> rdd;

    /** Wraps an RDD of doubles. */
    public DoubleRDD(RDD<Double> rdd) {
        this.rdd = rdd;
    }

    /** The underlying RDD. */
    @Override
    public RDD<Double> rdd() {
        return rdd;
    }

    /** Wraps an RDD of doubles as a {@link DoubleRDD}. */
    @Override
    public DoubleRDD wrapRDD(RDD<Double> rdd) {
        return new DoubleRDD(rdd);
    }

    /**
     * Count, mean, variance, min and max in one job. As Spark (a reduce of per-partition counters),
     * an RDD without partitions has none and throws {@code UnsupportedOperationException}; empty
     * partitions give a counter of count 0 and mean 0.
     */
    public StatCounter stats() {
        if (rdd.numPartitions() == 0) {
            throw new UnsupportedOperationException("empty collection");
        }
        return rdd.aggregate(new StatCounter(), StatCounter::merge, StatCounter::merge);
    }

    /** Sum of the elements (0 when empty). */
    public double sum() {
        return rdd.aggregate(0.0, Double::sum, Double::sum);
    }

    /** Mean; 0 when empty (as Spark's {@code stats().mean}). */
    public double mean() {
        return stats().mean();
    }

    /** Population variance. */
    public double variance() {
        return stats().variance();
    }

    /** Population standard deviation. */
    public double stdev() {
        return stats().stdev();
    }

    /** Population variance, the same as {@link #variance()} (Spark's {@code popVariance}). */
    public double popVariance() {
        return stats().variance();
    }

    /** Population standard deviation, the same as {@link #stdev()} (Spark's {@code popStdev}). */
    public double popStdev() {
        return stats().stdev();
    }

    /** Sample variance (divides by n - 1). */
    public double sampleVariance() {
        return stats().sampleVariance();
    }

    /** Sample standard deviation (divides by n - 1). */
    public double sampleStdev() {
        return stats().sampleStdev();
    }

    /** Smallest element; throws on an empty RDD. */
    public double min() {
        return rdd.reduce(Math::min);
    }

    /** Largest element; throws on an empty RDD. */
    public double max() {
        return rdd.reduce(Math::max);
    }

    /**
     * A histogram with {@code bucketCount} equal-width buckets from the minimum to the maximum; each
     * bucket is {@code [a, b)} except the last, {@code [a, b]}. Returns the bucket boundaries and
     * the counts. If min equals max there is one bucket. Throws on empty input, NaN or infinity.
     */
    public Pair<double[], long[]> histogram(int bucketCount) {
        if (bucketCount < 1) {
            throw new IllegalArgumentException("histogram needs at least 1 bucket (got " + bucketCount + ")");
        }
        StatCounter s = stats();
        if (s.count() == 0) {
            throw new UnsupportedOperationException("Histogram on an empty RDD");
        }
        if (Double.isNaN(s.mean()) || Double.isInfinite(s.max()) || Double.isInfinite(s.min())) {
            throw new UnsupportedOperationException("Histogram on either an empty RDD or an RDD containing "
                    + "+/-infinity or NaN (min=" + s.min() + ", max=" + s.max() + ")");
        }
        double min = s.min();
        double max = s.max();
        double[] buckets;
        if (min == max) {
            buckets = new double[] {min, max};
        } else {
            buckets = new double[bucketCount + 1];
            for (int i = 0; i <= bucketCount; i++) {
                buckets[i] = min + (max - min) * i / bucketCount;
            }
            buckets[bucketCount] = max;
        }
        return new Pair<>(buckets, histogramCounts(buckets, true));
    }

    /**
     * Counts elements per bucket given sorted boundaries {@code [b0, b1, ..., bn]}: bucket i is
     * {@code [b_i, b_i+1)} except the last, which is closed. Elements outside are ignored.
     */
    public long[] histogram(double[] buckets) {
        return histogramCounts(buckets, false);
    }

    /**
     * Like {@link #histogram(double[])}; with {@code evenBuckets} the boundaries are taken to be
     * evenly spaced and each element's bucket is computed in constant time instead of by binary
     * search (Spark's {@code histogram(buckets, evenBuckets)}); the counts are the same.
     */
    public long[] histogram(double[] buckets, boolean evenBuckets) {
        return histogramCounts(buckets, evenBuckets);
    }

    private long[] histogramCounts(double[] buckets, boolean evenlySpaced) {
        if (buckets.length < 2) {
            throw new IllegalArgumentException("histogram needs at least 2 bucket boundaries (got " + buckets.length + ")");
        }
        for (int i = 1; i < buckets.length; i++) {
            if (!(buckets[i] >= buckets[i - 1])) {
                throw new IllegalArgumentException("histogram boundaries must be sorted: " + Arrays.toString(buckets));
            }
        }
        double[] b = buckets.clone();
        int n = b.length - 1;
        List<long[]> parts = rdd.context().runJob(rdd, (ctx, it) -> {
            long[] counts = new long[n];
            while (it.hasNext()) {
                Double boxed = it.next();
                if (boxed == null) {
                    continue;
                }
                int idx = bucketOf(b, boxed, evenlySpaced);
                if (idx >= 0) {
                    counts[idx]++;
                }
            }
            return counts;
        });
        long[] total = new long[n];
        for (long[] p : parts) {
            for (int i = 0; i < n; i++) {
                total[i] += p[i];
            }
        }
        return total;
    }

    private static int bucketOf(double[] b, double x, boolean evenlySpaced) {
        int n = b.length - 1;
        if (Double.isNaN(x) || x < b[0] || x > b[n]) {
            return -1;
        }
        if (x == b[n]) {
            return n - 1;
        }
        if (evenlySpaced && b[n] > b[0]) {
            int i = (int) ((x - b[0]) / (b[n] - b[0]) * n);
            i = Math.min(Math.max(i, 0), n - 1);
            // Guard against rounding at the edges.
            while (i > 0 && x < b[i]) {
                i--;
            }
            while (i < n - 1 && x >= b[i + 1]) {
                i++;
            }
            return i;
        }
        int pos = Arrays.binarySearch(b, x);
        if (pos >= 0) {
            while (pos < n - 1 && b[pos + 1] == x) {
                pos++;
            }
            return Math.min(pos, n - 1);
        }
        return -pos - 2;
    }

    @Override
    public String toString() {
        return rdd.toString();
    }
}
