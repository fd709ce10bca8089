package dev.kindling.benchmarks;

import java.nio.file.Path;
import java.util.Map;

/**
 * One way of running {@link CoreBenchmark}'s jobs: Kindling, a hand-written Java equivalent, or
 * (in a {@code -Pspark} build) Apache Spark. All use the same number of threads.
 */
public interface CoreContender extends AutoCloseable {

    /** Short name for the report: "kindling", "hand-written", "spark". */
    String name();

    /** Prepares the tiny job's input: the integers 0..999 in 2 partitions (nothing runs yet). */
    void prepareTinyJob();

    /** Runs the tiny job once: counts the 1,000 integers; returns the count. */
    long runTinyJob();

    /** Counts the whitespace-separated words of a text file. */
    Map<String, Long> wordCount(Path file);

    @Override
    void close();
}
