package dev.kindling.benchmarks.spark;

import dev.kindling.benchmarks.PlainEngine;
import dev.kindling.benchmarks.PlainPoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * {@link dev.kindling.benchmarks.PlainBenchmark}'s programs on Apache Spark in {@code local[threads]}
 * mode, written as its users write them: the same word count with {@code Tuple2}, the points cached
 * deserialized (Spark's default) and one {@code treeAggregate} per gradient-descent iteration.
 */
public final class PlainSpark implements PlainEngine {

    private final JavaSparkContext sc;
    private final int threads;
    private JavaRDD<double[]> arrays;
    private JavaRDD<PlainPoint> records;
    private JavaRDD<Integer> tiny;

    /** Starts a local Spark context with {@code threads} executor threads. */
    public PlainSpark(int threads) {
        this.threads = threads;
        sc = SparkSupport.context("plain-benchmark", threads);
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public List<String> wordCountTop3(Path file) {
        List<Tuple2<Integer, String>> top = sc.textFile(file.toString())
                .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
                .mapToPair(w -> new Tuple2<>(w, 1))
                .reduceByKey(Integer::sum)
                .mapToPair(Tuple2::swap)
                .sortByKey(false)
                .take(3);
        return top.stream().map(t -> t._1() + " " + t._2()).collect(Collectors.toList());
    }

    @Override
    public void loadPoints(long n, int dims, long seed, boolean asRecords) {
        // One slice of ids per thread, expanded on the executors (as SparkLogReg does), instead of a
        // driver-side list of n ids.
        List<Integer> slices = IntStream.range(0, threads).boxed().collect(Collectors.toList());
        int parts = threads;
        JavaRDD<Long> range = sc.parallelize(slices, parts).flatMap(slice -> LongStream
                .range(n * slice / parts, n * (slice + 1) / parts).boxed().iterator());
        if (asRecords) {
            records = range.map(i -> PlainPoint.synthetic(seed, i, dims)).cache();
            records.count();
        } else {
            arrays = range.map(i -> PlainPoint.toArray(seed, i, dims)).cache();
            arrays.count();
        }
    }

    @Override
    public double[] gradientSums(double[] weights) {
        double[] w = weights.clone();
        double[] zero = new double[w.length + 2];
        if (records != null) {
            return records.treeAggregate(zero, (sums, p) -> PlainPoint.add(sums, w, p), PlainPoint::merge);
        }
        return arrays.treeAggregate(zero, (sums, p) -> PlainPoint.add(sums, w, p), PlainPoint::merge);
    }

    @Override
    public void unloadPoints() {
        if (records != null) {
            records.unpersist(true);
        }
        if (arrays != null) {
            arrays.unpersist(true);
        }
        records = null;
        arrays = null;
    }

    @Override
    public void prepareTinyJob() {
        tiny = sc.parallelize(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), 2);
    }

    @Override
    public long runTinyJob() {
        return tiny.count();
    }

    @Override
    public void close() {
        SparkSupport.release(sc);
    }
}
