package dev.kindling.benchmarks;

import dev.kindling.examples.LabeledPoint;
import dev.kindling.examples.LogisticRegression;
import java.io.Serializable;

/**
 * A training point as a user would declare it for {@link PlainBenchmark}'s gradient descent: a
 * record of its label and its features (the first feature is the constant-1 intercept), plus the
 * logistic-regression gradient written as plain loops, for the record and for the same point packed
 * in a {@code double[]} as {@code [label, x0, x1, ...]}.
 *
 * <p>Every engine calls the same {@code add} methods, so the benchmark compares the engines' paths
 * from a cached point to the user's function, not two ways of doing the arithmetic. The sums array
 * holds the gradient (indexes {@code [0, d)}), the log-loss (d) and the point count (d + 1).
 *
 * @param label    0 or 1
 * @param features the features, {@code features[0] == 1}
 */
public record PlainPoint(double label, double[] features) implements Serializable {

    /** The {@code i}-th synthetic point as a record (see {@link LabeledPoint#synthetic}). */
    public static PlainPoint synthetic(long seed, long i, int dims) {
        LabeledPoint p = LabeledPoint.synthetic(seed, i, dims, true);
        return new PlainPoint(p.label(), p.features());
    }

    /** The {@code i}-th synthetic point as {@code [label, x0, x1, ...]}. */
    public static double[] toArray(long seed, long i, int dims) {
        LabeledPoint p = LabeledPoint.synthetic(seed, i, dims, true);
        double[] a = new double[dims + 2];
        a[0] = p.label();
        System.arraycopy(p.features(), 0, a, 1, dims + 1);
        return a;
    }

    /** Adds the gradient, loss and count of point {@code p = [label, x...]} at {@code w} to {@code sums}; returns {@code sums}. */
    public static double[] add(double[] sums, double[] w, double[] p) {
        int d = w.length;
        double m = 0;
        for (int j = 0; j < d; j++) {
            m += w[j] * p[j + 1];
        }
        double y = p[0];
        double factor = LogisticRegression.sigmoid(m) - y;
        for (int j = 0; j < d; j++) {
            sums[j] += factor * p[j + 1];
        }
        sums[d] += LogisticRegression.logOnePlusExp(m) - y * m;
        sums[d + 1] += 1;
        return sums;
    }

    /** The same as {@link #add(double[], double[], double[])} for a record. */
    public static double[] add(double[] sums, double[] w, PlainPoint p) {
        int d = w.length;
        double[] x = p.features();
        double m = 0;
        for (int j = 0; j < d; j++) {
            m += w[j] * x[j];
        }
        double y = p.label();
        double factor = LogisticRegression.sigmoid(m) - y;
        for (int j = 0; j < d; j++) {
            sums[j] += factor * x[j];
        }
        sums[d] += LogisticRegression.logOnePlusExp(m) - y * m;
        sums[d + 1] += 1;
        return sums;
    }

    /** Adds {@code b} into {@code a} element by element; returns {@code a} (the combine step). */
    public static double[] merge(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }

    /** The next weights after one step of size 1 against the mean gradient in {@code sums}. */
    public static double[] step(double[] w, double[] sums) {
        double[] next = new double[w.length];
        double count = sums[w.length + 1];
        for (int j = 0; j < w.length; j++) {
            next[j] = w[j] - sums[j] / count;
        }
        return next;
    }
}
