package dev.kindling.benchmarks.spark;

import dev.kindling.benchmarks.LogRegContender;
import dev.kindling.examples.LabeledPoint;
import dev.kindling.examples.LogisticRegression;
import dev.kindling.examples.PointBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@link dev.kindling.benchmarks.LogRegBenchmark}'s gradient passes on Apache Spark in
 * {@code local[threads]} mode: the same points, cached deserialized (Spark's default), the same loss
 * and the same {@code treeAggregate} into a {@code double[]} as the Kindling example. This one caches
 * one {@link LabeledPoint} per point (how a Spark user would first write it);
 * {@link SparkLogRegBlocks} caches the same {@link PointBlock}s as Kindling.
 */
public class SparkLogReg implements LogRegContender {

    private final JavaSparkContext sc;
    private final int threads;
    private final boolean blocks;
    private JavaRDD<LabeledPoint> points;
    private JavaRDD<PointBlock> pointBlocks;

    /** Starts (or joins) a local Spark context with {@code threads} executor threads; one record per point. */
    public SparkLogReg(int threads) {
        this(threads, false);
    }

    SparkLogReg(int threads, boolean blocks) {
        this.threads = threads;
        this.blocks = blocks;
        sc = SparkSupport.context("logreg-benchmark", threads);
    }

    @Override
    public String name() {
        return blocks ? "spark" : "spark, one record per point";
    }

    @Override
    public void load(long n, int dims, long seed) {
        List<Integer> slices = IntStream.range(0, threads).boxed().collect(Collectors.toList());
        int parts = threads;
        JavaRDD<LabeledPoint> generated = sc.parallelize(slices, parts).flatMap(slice -> {
            long from = n * slice / parts;
            long to = n * (slice + 1) / parts;
            List<LabeledPoint> out = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
                out.add(LabeledPoint.synthetic(seed, i, dims, true));
            }
            return out.iterator();
        });
        if (blocks) {
            pointBlocks = generated.mapPartitions(it -> PointBlock.pack(it, PointBlock.DEFAULT_BLOCK_BYTES)).cache();
            pointBlocks.count();
        } else {
            points = generated.cache();
            points.count();
        }
    }

    @Override
    public double[] gradientSums(double[] weights) {
        int d = weights.length;
        double[] w = weights.clone();
        if (blocks) {
            return pointBlocks.treeAggregate(new double[d + 2],
                    (acc, b) -> {
                        acc[d] += LogisticRegression.LOG_LOSS.addGradients(w, b, acc);
                        acc[d + 1] += b.size();
                        return acc;
                    },
                    SparkLogReg::addInto);
        }
        return points.treeAggregate(new double[d + 2],
                (acc, p) -> {
                    acc[d] += LogisticRegression.LOG_LOSS.addGradient(w, p, acc);
                    acc[d + 1] += 1;
                    return acc;
                },
                SparkLogReg::addInto);
    }

    private static double[] addInto(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }

    @Override
    public void unload() {
        if (points != null) {
            points.unpersist(true);
        }
        if (pointBlocks != null) {
            pointBlocks.unpersist(true);
        }
        points = null;
        pointBlocks = null;
    }

    @Override
    public void close() {
        SparkSupport.release(sc);
    }
}
