package dev.kindling.examples;

import dev.kindling.RDD;
import picocli.CommandLine.Command;

/**
 * Least-squares linear regression trained by batch gradient descent on the mean of
 * {@code (w.x - y)^2 / 2}.
 *
 * <pre>
 * bin/kindling run linreg --input examples/data/points.txt --iterations 100 --step 0.5
 * bin/kindling run linreg --generate 100000 --dims 10 --seed 1
 * </pre>
 * Input lines are "y x1 x2 ...", fields separated by commas or whitespace. {@code --help} lists
 * the options and their defaults. Prints the loss as it goes and finally {@code weights=[w0, w1, ...] loss=<x>}
 * (w0 is the intercept).
 */
public final class LinearRegression {

    /** The squared error {@code (w.x - y)^2 / 2} and its gradient {@code (w.x - y) x}. */
    public static final PointLoss SQUARED_ERROR = (weights, x, offset, y, gradientSum) -> {
        double r = PointLoss.margin(weights, x, offset) - y;
        for (int j = 0; j < weights.length; j++) {
            gradientSum[j] += r * x[offset + j];
        }
        return 0.5 * r * r;
    };

    private LinearRegression() {
    }

    /** Trains on {@code points} (blocks of points; cache them first) from zero weights. */
    public static GradientDescent.Model train(RDD<PointBlock> points, int iterations, double step,
                                              GradientDescent.IterationListener listener) {
        return GradientDescent.train(points, SQUARED_ERROR, iterations, step, listener);
    }

    /** Runs the example; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line of {@code linreg}. */
    @Command(name = "linreg", sortOptions = false, showDefaultValues = true,
            description = {"Least-squares linear regression by batch gradient descent on the mean of (w.x - y)^2 / 2; prints the loss and finally weights and loss.",
                    "Give either --input or --generate. The intercept is a leading constant-1 feature; weights start at 0."})
    public static final class Cli extends RegressionCommand {
        /** The command with its default step, 0.5. */
        public Cli() {
            super("linreg", SQUARED_ERROR, 0.5, false);
        }
    }
}
