package dev.kindling.benchmarks.spark;

import dev.kindling.benchmarks.LogRegContender;
import dev.kindling.examples.LabeledPoint;
import dev.kindling.examples.LogisticRegression;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@link dev.kindling.benchmarks.LogRegBenchmark}'s gradient passes on Apache Spark in
 * {@code local[threads]} mode: the same points (cached deserialized, Spark's default), the same
 * per-point loss and the same {@code treeAggregate} into a {@code double[]} as the Kindling example.
 */
public final class SparkLogReg implements LogRegContender {

    private final JavaSparkContext sc;
    private final int threads;
    private JavaRDD<LabeledPoint> points;

    /** Starts a local Spark context with {@code threads} executor threads. */
    public SparkLogReg(int threads) {
        this.threads = threads;
        sc = SparkSupport.context("logreg-benchmark", threads);
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void load(long n, int dims, long seed) {
        List<Integer> slices = IntStream.range(0, threads).boxed().collect(Collectors.toList());
        int parts = threads;
        points = sc.parallelize(slices, parts).flatMap(slice -> {
            long from = n * slice / parts;
            long to = n * (slice + 1) / parts;
            List<LabeledPoint> out = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
                out.add(LabeledPoint.synthetic(seed, i, dims, true));
            }
            return out.iterator();
        }).cache();
        points.count();
    }

    @Override
    public double[] gradientSums(double[] weights) {
        int d = weights.length;
        double[] w = weights.clone();
        return points.treeAggregate(new double[d + 2],
                (acc, p) -> {
                    acc[d] += LogisticRegression.LOG_LOSS.addGradient(w, p, acc);
                    acc[d + 1] += 1;
                    return acc;
                },
                (a, b) -> {
                    for (int j = 0; j < a.length; j++) {
                        a[j] += b[j];
                    }
                    return a;
                });
    }

    @Override
    public void unload() {
        points.unpersist(true);
        points = null;
    }

    @Override
    public void close() {
        sc.close();
    }
}
