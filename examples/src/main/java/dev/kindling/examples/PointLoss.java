package dev.kindling.examples;

import java.io.Serializable;

/**
 * The loss of a model on one labelled point and its gradient: the only part that differs between
 * logistic and least-squares regression in {@link GradientDescent}. Implementations are shipped to
 * executor threads, so they must be {@link Serializable} and stateless.
 */
public interface PointLoss extends Serializable {

    /**
     * Adds the gradient of this point's loss at {@code weights} into {@code gradientSum[0..d-1]} and
     * returns the loss. Must not modify {@code weights} or {@code point}.
     */
    double addGradient(double[] weights, LabeledPoint point, double[] gradientSum);

    /** Whether the model classifies the point correctly (for the accuracy report); false if not a classifier. */
    default boolean correct(double[] weights, LabeledPoint point) {
        return false;
    }

    /** The dot product of the weights and the point's features. */
    static double margin(double[] weights, LabeledPoint point) {
        double[] x = point.features();
        double m = 0;
        for (int j = 0; j < x.length; j++) {
            m += weights[j] * x[j];
        }
        return m;
    }
}
