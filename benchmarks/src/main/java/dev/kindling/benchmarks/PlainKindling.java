package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.examples.WordCount;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@link PlainBenchmark}'s programs on Kindling, written as a Spark user would write them: no
 * example code, no blocks, the default partitioning. With {@code tuned}, the word count is the
 * word-count example's own pipeline ({@link WordCount#count}) followed by the same top 3. The same
 * programs run in {@code local[threads]} ({@link #local}) or on executor processes,
 * {@code local-cluster[threads,1,M]} ({@link #cluster}).
 */
final class PlainKindling implements PlainEngine {

    private final KindlingContext kc;
    private final String name;
    private final boolean tuned;
    private final int executors;
    private RDD<double[]> arrays;
    private RDD<PlainPoint> records;
    private RDD<Integer> tiny;

    private PlainKindling(String name, String master, boolean tuned, int executors, Map<String, String> conf) {
        this.name = name;
        this.tuned = tuned;
        this.executors = executors;
        Kindling.Builder builder = Kindling.builder().master(master).appName("plain-benchmark")
                .config("kindling.ui.showConsoleProgress", "false");
        conf.forEach((k, v) -> builder.config(k, v));
        kc = builder.build();
    }

    /** "kindling" (or "kindling-tuned"): {@code local[threads]}. */
    static PlainKindling local(int threads, boolean tuned) {
        return new PlainKindling(tuned ? "kindling-tuned" : "kindling", "local[" + threads + "]", tuned, 0, Map.of());
    }

    /**
     * "kindling-cluster": {@code local-cluster[threads,1,memoryMb]}, {@code threads} executor JVMs of one
     * task slot each, with {@code executorJavaOptions} ({@code kindling.executor.extraJavaOptions}) if not blank.
     */
    static PlainKindling cluster(int threads, int memoryMb, String executorJavaOptions) {
        Map<String, String> conf = executorJavaOptions == null || executorJavaOptions.isBlank() ? Map.of()
                : Map.of("kindling.executor.extraJavaOptions", executorJavaOptions);
        return new PlainKindling("kindling-cluster", "local-cluster[" + threads + ",1," + memoryMb + "]", false, threads,
                conf);
    }

    @Override
    public String name() {
        return name;
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

    /**
     * A full collection here and, for {@code kindling-cluster}, in each executor JVM: one job of a
     * task per executor slot, repeated until every executor process has run one (a slot is usually
     * one executor each, but the scheduler does not promise where tasks go).
     */
    @Override
    public void compactPoints() {
        System.gc();
        if (executors == 0) {
            return;
        }
        Set<Long> collected = new HashSet<>();
        for (int attempt = 0; attempt < 20 && collected.size() < executors; attempt++) {
            collected.addAll(kc.range(0, executors, 1, executors).map(i -> {
                System.gc();
                return ProcessHandle.current().pid();
            }).collect());
        }
        if (collected.size() < executors) {
            throw new IllegalStateException("only " + collected.size() + " of " + executors
                    + " executor JVMs ran a task in 20 jobs of " + executors + " tasks");
        }
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
