package dev.kindling.examples;

import dev.kindling.RDD;
import picocli.CommandLine.Command;

/**
 * Logistic regression trained by batch gradient descent on the mean log-loss.
 *
 * <pre>
 * bin/kindling run logreg --input labeled.txt --iterations 100 --step 1.0
 * bin/kindling run logreg --generate 100000 --dims 10 --seed 1 --iterations 50
 * </pre>
 * Input lines are "label f1 f2 ..." with label 0 or 1, fields separated by commas or whitespace.
 * {@code --help} lists the options and their defaults. Prints the loss as it goes and finally
 * {@code weights=[w0, w1, ...] loss=<x> accuracy=<y>}, where w0 is the intercept.
 */
public final class LogisticRegression {

    /** The log-loss {@code log(1 + e^m) - y m} of margin m = w.x, and its gradient {@code (sigmoid(m) - y) x}. */
    public static final PointLoss LOG_LOSS = new PointLoss() {
        @Override
        public double addGradient(double[] weights, double[] x, int offset, double y, double[] gradientSum) {
            double m = PointLoss.margin(weights, x, offset);
            double factor = sigmoid(m) - y;
            for (int j = 0; j < weights.length; j++) {
                gradientSum[j] += factor * x[offset + j];
            }
            return logOnePlusExp(m) - y * m;
        }

        /** The same per point, in one loop over the block's two arrays (this is the hot loop of logreg). */
        @Override
        public double addGradients(double[] weights, PointBlock block, double[] gradientSum) {
            double[] x = block.features();
            double[] y = block.labels();
            int d = weights.length;
            // Sums into a fresh array: the JIT then knows the writes cannot change x or weights
            // (gradientSum could alias them as far as it knows) and keeps the loop in registers.
            double[] g = new double[d];
            double loss = 0;
            for (int i = 0, offset = 0; i < y.length; i++, offset += d) {
                double m = 0;
                for (int j = 0; j < d; j++) {
                    m += weights[j] * x[offset + j];
                }
                double factor = sigmoid(m) - y[i];
                for (int j = 0; j < d; j++) {
                    g[j] += factor * x[offset + j];
                }
                loss += logOnePlusExp(m) - y[i] * m;
            }
            for (int j = 0; j < d; j++) {
                gradientSum[j] += g[j];
            }
            return loss;
        }

        @Override
        public boolean correct(double[] weights, double[] x, int offset, double y) {
            return (PointLoss.margin(weights, x, offset) > 0) == (y == 1.0);
        }
    };

    private LogisticRegression() {
    }

    /** 1 / (1 + e^-m). */
    public static double sigmoid(double m) {
        return 1.0 / (1.0 + Math.exp(-m));
    }

    /** log(1 + e^m) without overflow for large m. */
    public static double logOnePlusExp(double m) {
        return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    }

    /** Trains on {@code points} (blocks of points; cache them first) from zero weights. */
    public static GradientDescent.Model train(RDD<PointBlock> points, int iterations, double step,
                                              GradientDescent.IterationListener listener) {
        return GradientDescent.train(points, LOG_LOSS, iterations, step, listener);
    }

    /** Runs the example; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line of {@code logreg}. */
    @Command(name = "logreg", sortOptions = false, showDefaultValues = true,
            description = {"Logistic regression by batch gradient descent on the mean log-loss (labels 0 or 1); prints the loss and finally weights, loss and accuracy.",
                    "Give either --input or --generate. The intercept is a leading constant-1 feature; weights start at 0."})
    public static final class Cli extends RegressionCommand {
        /** The command with its default step, 1.0. */
        public Cli() {
            super("logreg", LOG_LOSS, 1.0, true);
        }
    }
}
