package dev.kindling.internal.rdd;

import java.util.Iterator;
import java.util.Random;

/**
 * Per-partition random samplers: Bernoulli (without replacement), Poisson (with replacement) and
 * the cell sampler behind randomSplit. Deterministic for a given seed, so a recomputed partition
 * yields the same sample.
 */
public final class Samplers {

    private Samplers() {
    }

    /** Validates a sampling fraction. */
    public static void checkFraction(boolean withReplacement, double fraction) {
        if (!(fraction >= 0) || (!withReplacement && fraction > 1) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("sample fraction must be in [0, 1] without replacement and >= 0 with "
                    + "replacement (got " + fraction + ", withReplacement=" + withReplacement + ")");
        }
    }

    /** Samples {@code in} lazily. */
    public static <T> Iterator<T> sample(Iterator<T> in, boolean withReplacement, double fraction, long seed) {
        Random random = new Random(seed);
        if (!withReplacement) {
            return Iterators.filter(in, x -> random.nextDouble() < fraction);
        }
        return Iterators.flatMap(in, x -> {
            int copies = poisson(random, fraction);
            return copies == 0 ? java.util.Collections.emptyIterator()
                    : java.util.Collections.nCopies(copies, x).iterator();
        });
    }

    /** Keeps the elements whose uniform draw falls in {@code [lo, hi)}. */
    public static <T> Iterator<T> cell(Iterator<T> in, double lo, double hi, long seed) {
        Random random = new Random(seed);
        return Iterators.filter(in, x -> {
            double u = random.nextDouble();
            return u >= lo && u < hi;
        });
    }

    /** Normalised cumulative bounds {@code [0, w0, w0+w1, ..., 1]} of {@code weights}. */
    public static double[] cumulativeBounds(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("randomSplit weights must be non-negative (got " + w + ")");
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("randomSplit weights must sum to more than 0");
        }
        double[] bounds = new double[weights.length + 1];
        for (int i = 0; i < weights.length; i++) {
            bounds[i + 1] = bounds[i] + weights[i] / sum;
        }
        bounds[weights.length] = 1.0 + 1e-9;
        return bounds;
    }

    /** Draws from a Poisson distribution with mean {@code mean} (Knuth for small means, normal approximation above 30). */
    public static int poisson(Random random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
