package dev.kindling.examples;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;

/** Loads the regression examples' points from a text file or generates them, as the options say. */
final class RegressionData {

    private RegressionData() {
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
