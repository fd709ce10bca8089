package dev.kindling.benchmarks.spark;

/**
 * {@link SparkLogReg} with the points cached as {@link dev.kindling.examples.PointBlock}s, exactly as
 * the Kindling example caches them: the same algorithm on both engines.
 */
public final class SparkLogRegBlocks extends SparkLogReg {

    /** Starts (or joins) a local Spark context with {@code threads} executor threads. */
    public SparkLogRegBlocks(int threads) {
        super(threads, true);
    }
}
