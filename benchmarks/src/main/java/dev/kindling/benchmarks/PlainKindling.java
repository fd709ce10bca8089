package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.examples.WordCount;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@link PlainBenchmark}'s programs on Kindling, written as a Spark user would write them: no
 * example code, no blocks, the default partitioning. With {@code tuned}, the word count is the
 * word-count example's own pipeline ({@link WordCount#count}) followed by the same top 3.
 */
final class PlainKindling implements PlainEngine {

    private final KindlingContext kc;
    private final boolean tuned;
    private RDD<double[]> arrays;
    private RDD<PlainPoint> records;
    private RDD<Integer> tiny;

    PlainKindling(int threads, boolean tuned) {
        this.tuned = tuned;
        kc = Kindling.builder().master("local[" + threads + "]").appName("plain-benchmark")
                .config("kindling.ui.showConsoleProgress", "false").build();
    }

    @Override
    public String name() {
        return tuned ? "kindling-tuned" : "kindling";
    }

    @Override
    public List<String> wordCountTop3(Path file) {
        List<Pair<Long, String>> tunedTop;
        if (tuned) {
            tunedTop = WordCount.count(kc, file.toString()).mapToPair(Pair::swap).sortByKey(false).take(3);
            return tunedTop.stream().map(p -> p.key() + " " + p.value()).collect(Collectors.toList());
        }
        List<Pair<Integer, String>> top = kc.textFile(file.toString())
                .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
                .mapToPair(w -> Pair.of(w, 1))
                .reduceByKey(Integer::sum)
                .mapToPair(Pair::swap)
                .sortByKey(false)
                .take(3);
        return top.stream().map(p -> p.key() + " " + p.value()).collect(Collectors.toList());
    }

    @Override
    public void loadPoints(long n, int dims, long seed, boolean asRecords) {
        if (asRecords) {
            records = kc.range(0, n).map(i -> PlainPoint.synthetic(seed, i, dims)).cache();
            records.count();
        } else {
            arrays = kc.range(0, n).map(i -> PlainPoint.toArray(seed, i, dims)).cache();
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
            records.unpersist();
        }
        if (arrays != null) {
            arrays.unpersist();
        }
        records = null;
        arrays = null;
    }

    @Override
    public void prepareTinyJob() {
        tiny = kc.parallelize(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), 2);
    }

    @Override
    public long runTinyJob() {
        return tiny.count();
    }

    @Override
    public void close() {
        kc.close();
    }
}
