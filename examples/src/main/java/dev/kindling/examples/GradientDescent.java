package dev.kindling.examples;

import dev.kindling.RDD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batch gradient descent over a cached RDD of points: the shape of most iterative Kindling programs.
 *
 * <p>The points come packed in {@link PointBlock}s ({@code PointBlock.blockify(points).cache()}), so
 * each pass reads flat arrays rather than one object per point. Each iteration is one job:
 * {@link RDD#treeAggregate} sums, over all points, the loss and the gradient at the current weights
 * into a {@code double[]} (one accumulator per partition, updated in place, then merged), and the
 * driver takes a fixed step against the mean gradient:
 * <pre>
 *   w(t+1) = w(t) - step * (1/n) * sum_i grad loss_i(w(t))
 * </pre>
 * The weights are captured by the iteration's lambdas as a fresh array each time, so tasks see the
 * weights of their own iteration. Cache the blocks first, or every iteration re-reads and re-parses
 * the input.
 */
public final class GradientDescent {

    /** Told of each iteration's mean loss at the weights before that iteration's step. */
    @FunctionalInterface
    public interface IterationListener {
        /** Called on the driver after iteration {@code iteration} (1-based). */
        void onIteration(int iteration, double meanLoss, double[] weights);
    }

    /**
     * A trained model with its final quality.
     *
     * @param weights     the weights, intercept first
     * @param loss        the mean loss at {@code weights}
     * @param accuracy    the fraction of points classified correctly (0 when the loss is not a classifier)
     * @param lossHistory the mean loss before each step, one entry per iteration
     */
    public record Model(double[] weights, double loss, double accuracy, List<Double> lossHistory) {

        /** The summary line the examples print: {@code weights=[w0, w1, ...] loss=<x> accuracy=<y>}. */
        public String summary(boolean withAccuracy) {
            StringBuilder sb = new StringBuilder("weights=").append(Arrays.toString(weights)).append(" loss=").append(loss);
            if (withAccuracy) {
                sb.append(" accuracy=").append(accuracy);
            }
            return sb.toString();
        }
    }

    private GradientDescent() {
    }

    /**
     * Runs {@code iterations} steps of batch gradient descent from zero weights.
     *
     * @param points     the data in blocks, ideally cached; every point has the same number of features
     * @param loss       the per-point loss and gradient
     * @param iterations number of steps (0 evaluates the zero model)
     * @param step       the fixed step size
     * @param listener   told of each iteration's loss, or null
     */
    public static Model train(RDD<PointBlock> points, PointLoss loss, int iterations, double step,
                              IterationListener listener) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0 (got " + iterations + ")");
        }
        int d = points.first().dims();
        double[] weights = new double[d];
        List<Double> history = new ArrayList<>();
        for (int it = 1; it <= iterations; it++) {
            double[] w = weights; // never modified after this line: the tasks of this iteration read it
            double[] sums = gradientSums(points, loss, w);
            double n = sums[d + 1];
            if (n == 0) {
                throw new IllegalArgumentException("gradient descent needs at least one point; the RDD is empty");
            }
            double[] next = new double[d];
            for (int j = 0; j < d; j++) {
                next[j] = w[j] - step * sums[j] / n;
            }
            history.add(sums[d] / n);
            if (listener != null) {
                listener.onIteration(it, sums[d] / n, w);
            }
            weights = next;
        }
        double[] quality = evaluate(points, loss, weights);
        return new Model(weights, quality[0], quality[1], history);
    }

    /**
     * One pass over the points: the sum of the per-point gradients at {@code weights} (indexes
     * {@code [0, d)}), the sum of the losses (index d) and the number of points (index d + 1).
     * One job; each partition fills its own accumulator in place, then they are added up.
     */
    public static double[] gradientSums(RDD<PointBlock> points, PointLoss loss, double[] weights) {
        int d = weights.length;
        double[] w = weights;
        return points.treeAggregate(new double[d + 2],
                (acc, block) -> {
                    checkDimension(block, d);
                    acc[d] += loss.addGradients(w, block, acc);
                    acc[d + 1] += block.size();
                    return acc;
                },
                GradientDescent::addInto);
    }

    /** Returns {mean loss, accuracy} of {@code weights} on {@code points}, in one job. */
    public static double[] evaluate(RDD<PointBlock> points, PointLoss loss, double[] weights) {
        int d = weights.length;
        double[] w = weights.clone();
        // Accumulator: [0, d) scratch gradient, d: loss sum, d + 1: correct count, d + 2: count.
        double[] sums = points.treeAggregate(new double[d + 3],
                (acc, block) -> {
                    checkDimension(block, d);
                    acc[d] += loss.addGradients(w, block, acc);
                    acc[d + 1] += loss.countCorrect(w, block);
                    acc[d + 2] += block.size();
                    return acc;
                },
                GradientDescent::addInto);
        double n = sums[d + 2];
        return new double[] {n == 0 ? Double.NaN : sums[d] / n, n == 0 ? Double.NaN : sums[d + 1] / n};
    }

    /** Adds {@code b} into {@code a} element-wise and returns {@code a}: the merge step of every aggregate here. */
    public static double[] addInto(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }

    private static void checkDimension(PointBlock block, int d) {
        if (block.dims() != d) {
            throw new IllegalArgumentException("Every point needs " + (d - 1) + " features, but this one has "
                    + (block.dims() - 1) + ": " + block.point(0));
        }
    }
}
