package dev.kindling.benchmarks;

/**
 * One way of running {@link LogRegBenchmark}'s logistic-regression gradient descent: Kindling, a
 * hand-written Java loop, or (in a {@code -Pspark} build) Apache Spark. The benchmark drives the
 * iterations (the same driver code for all); a contender loads the points and computes one pass.
 */
public interface LogRegContender extends AutoCloseable {

    /** Short name for the report: "kindling", "hand-written", "spark". */
    String name();

    /**
     * Generates {@code n} points of {@code dims} features with
     * {@link dev.kindling.examples.LabeledPoint#synthetic} and keeps them in memory, ready for
     * {@link #gradientSums}; returns when they are all materialised.
     */
    void load(long n, int dims, long seed);

    /**
     * One gradient-descent pass at {@code weights}: the summed gradient of the log-loss (indexes
     * {@code [0, d)}), the summed loss (d) and the point count (d + 1).
     */
    double[] gradientSums(double[] weights);

    /** Drops the loaded points. */
    void unload();

    @Override
    void close();
}
