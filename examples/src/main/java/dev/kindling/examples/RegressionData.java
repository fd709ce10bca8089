package dev.kindling.examples;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;

/**
 * The command line shared by the regression examples: loads their points from a text file or
 * generates them, as the options say, and runs gradient descent printing the loss.
 */
final class RegressionData {

    private RegressionData() {
    }

    /**
     * Runs {@code program} (logreg or linreg): parses the options, loads the points, packs them into
     * blocks and caches those, trains with {@code loss} and prints every {@code --print-every}-th loss
     * and the model.
     */
    static void runExample(String program, String[] args, PointLoss loss, double defaultStep, boolean logistic) {
        ExampleArgs a = ExampleArgs.parse(program, args,
                "input", "generate", "dims", "seed", "partitions", "iterations", "step", "print-every");
        int iterations = a.getInt("iterations", 100);
        double step = a.getDouble("step", defaultStep);
        int printEvery = Math.max(1, a.getInt("print-every", 1));
        try (KindlingContext kc = Kindling.builder().appName(program).build()) {
            RDD<PointBlock> points = PointBlock.blockify(load(kc, a, program, logistic)).cache();
            GradientDescent.Model model = GradientDescent.train(points, loss, iterations, step, (it, l, w) -> {
                if (it % printEvery == 0 || it == 1) {
                    System.out.printf("iteration %d loss=%.6f%n", it, l);
                }
            });
            System.out.println(model.summary(logistic));
        }
    }

    /**
     * The points named by {@code --input FILE}, or {@code --generate N --dims D --seed S} synthetic
     * ones (logistic or linear labels), not yet cached.
     */
    static RDD<LabeledPoint> load(KindlingContext kc, ExampleArgs a, String program, boolean logistic) {
        if (a.has("input") == a.has("generate")) {
            throw new IllegalArgumentException(program + ": give either --input FILE or --generate N (not both)");
        }
        if (a.has("input")) {
            RDD<LabeledPoint> points = kc.textFile(a.get("input", null))
                    .filter(line -> !line.isBlank())
                    .map(LabeledPoint::parse);
            if (logistic) {
                points = points.map(p -> {
                    if (p.label() != 0.0 && p.label() != 1.0) {
                        throw new IllegalArgumentException(program + ": labels must be 0 or 1, got " + p.label()
                                + " in point " + p);
                    }
                    return p;
                });
            }
            return points;
        }
        long n = a.getLong("generate", 0);
        int dims = a.getInt("dims", 10);
        long seed = a.getLong("seed", 42);
        ExampleArgs.requirePositive(program, "generate", n);
        ExampleArgs.requirePositive(program, "dims", dims);
        int partitions = a.getInt("partitions", kc.defaultParallelism());
        return kc.range(0, n, 1, partitions).map(i -> LabeledPoint.synthetic(seed, i, dims, logistic));
    }
}
