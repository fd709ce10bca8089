package dev.kindling.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * One engine of {@link PlainBenchmark}: the programs written as a user would write them,
 * on Kindling, by hand in plain Java, or (in a {@code -Pspark} build) on Apache Spark. Each engine
 * runs in a JVM of its own, so its peak memory is its own.
 */
public interface PlainEngine extends AutoCloseable {

    /** Short name for the report: "kindling", "kindling-tuned", "hand-written", "spark". */
    String name();

    /**
     * The plain word count: words are what {@code line.split(" ")} gives, counted as {@code Integer},
     * then the three most frequent as {@code "count word"}, most frequent first.
     */
    List<String> wordCountTop3(Path file);

    /**
     * Generates {@code n} points with {@link dev.kindling.examples.LabeledPoint#synthetic} and keeps
     * them in memory, as {@code double[]} ({@link PlainPoint#toArray}) or as {@link PlainPoint}
     * records; returns when they are all materialised.
     */
    void loadPoints(long n, int dims, long seed, boolean records);

    /** One gradient pass over the loaded points at {@code weights}: see {@link PlainPoint#add(double[], double[], double[])}. */
    double[] gradientSums(double[] weights);

    /**
     * Compacts the loaded points with a full collection in every JVM that holds them (by default this
     * one), so that every engine's first iteration reads them laid out alike.
     */
    default void compactPoints() {
        System.gc();
    }

    /** Drops the loaded points. */
    void unloadPoints();

    /** Prepares the tiny job's input: the integers 0..999 in 2 partitions. */
    void prepareTinyJob();

    /** Runs the tiny job once: the count of the 1,000 integers. */
    long runTinyJob();

    @Override
    void close();
}
