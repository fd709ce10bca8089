package dev.kindling.examples;

import java.io.Serializable;

/**
 * The loss of a model on one labelled point and its gradient: the only part that differs between
 * logistic and least-squares regression in {@link GradientDescent}. A point is given as a row of a
 * flat feature array ({@code features[offset .. offset + weights.length)}) and its label, so the same
 * code serves a {@link LabeledPoint} and a row of a {@link PointBlock}. Implementations are shipped to
 * executor threads, so they must be {@link Serializable} and stateless.
 */
public interface PointLoss extends Serializable {

    /**
     * Adds the gradient of this point's loss at {@code weights} into {@code gradientSum[0..d-1]} and
     * returns the loss. Must not modify {@code weights} or {@code features}.
     */
    double addGradient(double[] weights, double[] features, int offset, double label, double[] gradientSum);

    /** Whether the model classifies the point correctly (for the accuracy report); false if not a classifier. */
    default boolean correct(double[] weights, double[] features, int offset, double label) {
        return false;
    }

    /** {@link #addGradient(double[], double[], int, double, double[])} for one point record. */
    default double addGradient(double[] weights, LabeledPoint point, double[] gradientSum) {
        return addGradient(weights, point.features(), 0, point.label(), gradientSum);
    }

    /**
     * Adds the gradients of all the block's points into {@code gradientSum[0..d-1]}, in order, and
     * returns the sum of their losses. Implementations may override it with a tighter loop.
     */
    default double addGradients(double[] weights, PointBlock block, double[] gradientSum) {
        double[] x = block.features();
        double[] y = block.labels();
        int d = block.dims();
        double loss = 0;
        for (int i = 0; i < y.length; i++) {
            loss += addGradient(weights, x, i * d, y[i], gradientSum);
        }
        return loss;
    }

    /** How many of the block's points the model classifies correctly. */
    default int countCorrect(double[] weights, PointBlock block) {
        double[] x = block.features();
        double[] y = block.labels();
        int d = block.dims();
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += correct(weights, x, i * d, y[i]) ? 1 : 0;
        }
        return correct;
    }

    /** The dot product of the weights and the features {@code x[offset .. offset + weights.length)}. */
    static double margin(double[] weights, double[] x, int offset) {
        double m = 0;
        for (int j = 0; j < weights.length; j++) {
            m += weights[j] * x[offset + j];
        }
        return m;
    }

    /** The dot product of the weights and the point's features. */
    static double margin(double[] weights, LabeledPoint point) {
        return margin(weights, point.features(), 0);
    }
}
