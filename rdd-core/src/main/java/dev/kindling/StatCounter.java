package dev.kindling;

import java.io.Serializable;

/**
 * Count, mean, variance, min and max of a set of doubles, computed in one pass (Welford's method)
 * and mergeable across partitions. {@link #variance()} is the population variance;
 * {@link #sampleVariance()} divides by {@code n - 1}.
 */
public final class StatCounter implements Serializable {

    private static final long serialVersionUID = 1L;

    private long n;
    private double mu;
    private double m2;
    private double max = Double.NEGATIVE_INFINITY;
    private double min = Double.POSITIVE_INFINITY;

    /** An empty counter. */
    public StatCounter() {
    }

    /** A counter over {@code values}. */
    public static StatCounter of(double... values) {
        StatCounter s = new StatCounter();
        for (double v : values) {
            s.merge(v);
        }
        return s;
    }

    /** Adds a value; returns this. */
    public StatCounter merge(double value) {
        double delta = value - mu;
        n++;
        mu += delta / n;
        m2 += delta * (value - mu);
        max = Math.max(max, value);
        min = Math.min(min, value);
        return this;
    }

    /** Adds all values counted by {@code other}; returns this. */
    public StatCounter merge(StatCounter other) {
        if (other == this) {
            return merge(other.copy());
        }
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            n = other.n;
            mu = other.mu;
            m2 = other.m2;
            max = other.max;
            min = other.min;
            return this;
        }
        double delta = other.mu - mu;
        long total = n + other.n;
        if (other.n * 10 < n) {
            mu += delta * other.n / total;
        } else if (n * 10 < other.n) {
            mu = other.mu - delta * n / total;
        } else {
            mu = (mu * n + other.mu * other.n) / total;
        }
        m2 += other.m2 + delta * delta * n * other.n / total;
        n = total;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
        return this;
    }

    /** A copy of this counter. */
    public StatCounter copy() {
        StatCounter c = new StatCounter();
        c.n = n;
        c.mu = mu;
        c.m2 = m2;
        c.max = max;
        c.min = min;
        return c;
    }

    /** Number of values. */
    public long count() {
        return n;
    }

    /** Mean; 0 when empty, as Spark's {@code StatCounter}. */
    public double mean() {
        return mu;
    }

    /** Sum of the values. */
    public double sum() {
        return n * mu;
    }

    /** Largest value; -Infinity when empty. */
    public double max() {
        return max;
    }

    /** Smallest value; +Infinity when empty. */
    public double min() {
        return min;
    }

    /** Population variance (divides by n); NaN when empty. */
    public double variance() {
        return n == 0 ? Double.NaN : m2 / n;
    }

    /** Sample variance (divides by n - 1); NaN with fewer than 2 values. */
    public double sampleVariance() {
        return n <= 1 ? Double.NaN : m2 / (n - 1);
    }

    /** Population standard deviation. */
    public double stdev() {
        return Math.sqrt(variance());
    }

    /** Sample standard deviation. */
    public double sampleStdev() {
        return Math.sqrt(sampleVariance());
    }

    @Override
    public String toString() {
        return String.format("(count: %d, mean: %f, stdev: %f, max: %f, min: %f)", n, mean(), stdev(), max, min);
    }
}
