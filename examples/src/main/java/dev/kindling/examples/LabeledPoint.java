package dev.kindling.examples;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * One training example for the regression examples: a label and a feature vector whose first entry
 * is the constant 1 (the intercept term), so a model's weight 0 is its intercept.
 *
 * @param label    the target: 0 or 1 for logistic regression, any number for least squares
 * @param features the features, {@code features[0] == 1}
 */
public record LabeledPoint(double label, double[] features) implements Serializable {

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    /**
     * Parses a text line "label f1 f2 ..." (commas or whitespace between fields) and prepends the
     * constant-1 intercept feature.
     *
     * @throws IllegalArgumentException naming the line when a field is not a number or there are no features
     */
    public static LabeledPoint parse(String line) {
        String[] fields = SEPARATORS.split(line.trim());
        if (fields.length < 2) {
            throw new IllegalArgumentException("Expected 'label feature1 feature2 ...' but got '" + line
                    + "' (fields are separated by commas or whitespace)");
        }
        double[] features = new double[fields.length];
        features[0] = 1.0;
        double label;
        try {
            label = Double.parseDouble(fields[0]);
            for (int i = 1; i < fields.length; i++) {
                features[i] = Double.parseDouble(fields[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number in line '" + line + "': " + e.getMessage(), e);
        }
        return new LabeledPoint(label, features);
    }

    /**
     * The i-th point of a synthetic data set: {@code dims} standard-normal features (plus the intercept)
     * and a label drawn from a known model. Deterministic in {@code (seed, i)}, so any partition can
     * generate its own points and a test can generate the same ones without Kindling.
     *
     * @param logistic true: label 1 with probability sigmoid(w*.x), else 0; false: w*.x plus N(0, 0.1^2) noise
     */
    public static LabeledPoint synthetic(long seed, long i, int dims, boolean logistic) {
        double[] trueWeights = trueWeights(seed, dims);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        double[] x = new double[dims + 1];
        x[0] = 1.0;
        double margin = trueWeights[0];
        for (int j = 1; j <= dims; j++) {
            x[j] = random.nextGaussian();
            margin += trueWeights[j] * x[j];
        }
        double label = logistic
                ? (random.nextDouble() < 1.0 / (1.0 + Math.exp(-margin)) ? 1.0 : 0.0)
                : margin + 0.1 * random.nextGaussian();
        return new LabeledPoint(label, x);
    }

    /** The model behind {@link #synthetic}: intercept 0.5 and weights uniform in [-1, 1]. */
    public static double[] trueWeights(long seed, int dims) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[dims + 1];
        w[0] = 0.5;
        for (int j = 1; j <= dims; j++) {
            w[j] = random.nextDouble(-1.0, 1.0);
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledPoint p && p.label == label && Arrays.equals(p.features, features);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(label) + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return label + " " + Arrays.toString(features);
    }
}
