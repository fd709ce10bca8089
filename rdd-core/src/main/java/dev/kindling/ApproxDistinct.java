package dev.kindling;

import dev.kindling.scheduler.Partitioner;
import java.util.List;
import java.util.Objects;
import org.apache.datasketches.hll.HllSketch;

/**
 * Approximate distinct counts, Spark's {@code countApproxDistinct} and
 * {@code countApproxDistinctByKey}, with Apache DataSketches' HyperLogLog in place of Spark's
 * stream-lib HyperLogLog++.
 *
 * <p>How it works:
 * <ol>
 *   <li>{@code relativeSD} must be greater than 0.000017, as Spark requires; it is checked when
 *       the operation is called, before any job.</li>
 *   <li>It picks the sketch's precision {@code lgConfigK} (2^lgConfigK registers): the smallest one
 *       from 4 to 21 whose documented relative standard error for a merged sketch
 *       ({@link HllSketch#getRelErr}, about 1.04 / sqrt(2^lgConfigK)) is at most {@code relativeSD}.
 *       That is Spark's {@code p = ceil(2 log2(1.054 / relativeSD))} give or take one, and, as in
 *       Spark, 4 for any {@code relativeSD} above 0.26. DataSketches stops at 21, so a
 *       {@code relativeSD} below 0.00072 (which Spark would accept) is an error that says so.</li>
 *   <li>{@code countApproxDistinct}: each task sketches its partition and returns the sketch's
 *       bytes; the driver merges them. {@code countApproxDistinctByKey}: a {@code combineByKey} with
 *       one {@link DistinctSketch} per key (created from the key's first value, merged map-side and
 *       after the shuffle), then its estimate.</li>
 *   <li>Elements are told apart by {@link ElementHash#hash64}; {@code null} counts as one value.</li>
 * </ol>
 *
 * <p>Thread safety: stateless; each call runs or declares its own job.
 */
final class ApproxDistinct {

    /** Spark's lower bound on relativeSD (exclusive). */
    static final double MIN_RELATIVE_SD = 0.000017;
    /** DataSketches' smallest and largest precision. */
    static final int MIN_LG_K = 4;
    static final int MAX_LG_K = 21;

    private ApproxDistinct() {
    }

    /** The approximate number of distinct elements of {@code rdd}; runs one job. */
    static <T> long count(RDD<T> rdd, double relativeSD) {
        int lgK = lgConfigK(relativeSD, "countApproxDistinct");
        List<byte[]> images = rdd.context().runJob(rdd, (ctx, it) -> {
            DistinctSketch sketch = new DistinctSketch(lgK);
            while (it.hasNext()) {
                sketch.add(it.next());
            }
            return sketch.toByteArray();
        });
        DistinctSketch all = new DistinctSketch(lgK);
        for (byte[] image : images) {
            all.merge(DistinctSketch.fromByteArray(image));
        }
        return all.estimate();
    }

    /** Each key with the approximate number of its distinct values, partitioned by {@code partitioner}; lazy. */
    static <K, V> PairRDD<K, Long> byKey(PairRDD<K, V> pairs, double relativeSD, Partitioner partitioner) {
        Objects.requireNonNull(partitioner, "countApproxDistinctByKey: partitioner");
        int lgK = lgConfigK(relativeSD, "countApproxDistinctByKey");
        return pairs.<DistinctSketch>combineByKey(v -> DistinctSketch.of(lgK, v), DistinctSketch::add,
                DistinctSketch::merge, partitioner).mapValues(DistinctSketch::estimate);
    }

    /**
     * The precision for {@code relativeSD} (rule 2 above).
     *
     * @throws IllegalArgumentException if {@code relativeSD} is not above 0.000017 (Spark's rule)
     *     or below what 2^21 registers can promise
     */
    static int lgConfigK(double relativeSD, String operation) {
        if (!(relativeSD > MIN_RELATIVE_SD)) {
            throw new IllegalArgumentException(operation + ": accuracy (" + relativeSD + ") must be greater than "
                    + "0.000017; relativeSD is the wanted relative standard deviation of the estimate, e.g. 0.05 for 5%");
        }
        for (int lgK = MIN_LG_K; lgK <= MAX_LG_K; lgK++) {
            if (relativeError(lgK) <= relativeSD) {
                return lgK;
            }
        }
        throw new IllegalArgumentException(operation + ": accuracy (" + relativeSD + ") is finer than Kindling's"
                + " HyperLogLog sketch can promise: its largest (2^" + MAX_LG_K + " registers, 2 MiB per sketch) has a"
                + " relative standard error of " + String.format(java.util.Locale.ROOT, "%.6f", Math.ceil(relativeError(MAX_LG_K) * 1e6) / 1e6)
                + " (Spark, whose sketch grows further, accepts down to 0.000017); pass at least that, or count exactly"
                + " with distinct().count()");
    }

    /** The documented relative standard error (one standard deviation) of a merged sketch of this precision. */
    static double relativeError(int lgK) {
        return Math.max(HllSketch.getRelErr(true, true, lgK, 1), HllSketch.getRelErr(false, true, lgK, 1));
    }
}
