package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;

/**
 * Least-squares linear regression trained by batch gradient descent on the mean of
 * {@code (w.x - y)^2 / 2}.
 *
 * <pre>
 * bin/kindling run linreg --input points.txt --iterations 100 --step 0.5
 * bin/kindling run linreg --generate 100000 --dims 10 --seed 1
 * </pre>
 * Input lines are "y x1 x2 ...", fields separated by commas or whitespace. Options as for
 * {@link LogisticRegression}. Prints the loss as it goes and finally {@code weights=[w0, w1, ...] loss=<x>}
 * (w0 is the intercept).
 */
public final class LinearRegression {

    /** The squared error {@code (w.x - y)^2 / 2} and its gradient {@code (w.x - y) x}. */
    public static final PointLoss SQUARED_ERROR = (weights, point, gradientSum) -> {
        double r = PointLoss.margin(weights, point) - point.label();
        double[] x = point.features();
        for (int j = 0; j < x.length; j++) {
            gradientSum[j] += r * x[j];
        }
        return 0.5 * r * r;
    };

    private LinearRegression() {
    }

    /** Trains on {@code points} (cache them first) from zero weights. */
    public static GradientDescent.Model train(RDD<LabeledPoint> points, int iterations, double step,
                                              GradientDescent.IterationListener listener) {
        return GradientDescent.train(points, SQUARED_ERROR, iterations, step, listener);
    }

    /** Runs the example; see the class documentation for the options. */
    public static void main(String[] args) {
        ExampleArgs a = ExampleArgs.parse("linreg", args,
                "input", "generate", "dims", "seed", "partitions", "iterations", "step", "print-every");
        int iterations = a.getInt("iterations", 100);
        double step = a.getDouble("step", 0.5);
        int printEvery = Math.max(1, a.getInt("print-every", 1));
        try (KindlingContext kc = Kindling.builder().appName("linreg").build()) {
            RDD<LabeledPoint> points = RegressionData.load(kc, a, "linreg", false).cache();
            GradientDescent.Model model = train(points, iterations, step, (it, loss, w) -> {
                if (it % printEvery == 0 || it == 1) {
                    System.out.printf("iteration %d loss=%.6f%n", it, loss);
                }
            });
            System.out.println(model.summary(false));
        }
    }
}
