package dev.kindling.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@link PlainBenchmark}'s programs in plain Java on a {@link ForkJoinPool} of as many threads as
 * Kindling's executors: the word count as a parallel stream with {@code groupingByConcurrent}, the
 * gradient as one chunk of a {@code double[][]} (or {@link PlainPoint}[]) per thread. The limit the
 * engines are measured against.
 */
final class PlainHandWritten implements PlainEngine {

    private final ForkJoinPool pool;
    private final int threads;
    private double[][] arrays;
    private PlainPoint[] records;
    private int[][] halves;

    PlainHandWritten(int threads) {
        this.threads = threads;
        pool = new ForkJoinPool(threads);
    }

    @Override
    public String name() {
        return "hand-written";
    }

    @Override
    public List<String> wordCountTop3(Path file) {
        // A parallel stream started from inside the pool runs on the pool's threads only.
        Map<String, Long> counts = pool.submit(() -> {
            try (Stream<String> lines = Files.lines(file)) {
                ConcurrentMap<String, Long> c = lines.parallel()
                        .flatMap(l -> Arrays.stream(l.split(" ")))
                        .collect(Collectors.groupingByConcurrent(Function.identity(), Collectors.counting()));
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
            }
        }).join();
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.toList());
    }

    @Override
    public void loadPoints(long n, int dims, long seed, boolean asRecords) {
        int size = Math.toIntExact(n);
        if (asRecords) {
            records = pool.submit(() -> IntStream.range(0, size).parallel()
                    .mapToObj(i -> PlainPoint.synthetic(seed, i, dims)).toArray(PlainPoint[]::new)).join();
        } else {
            arrays = pool.submit(() -> IntStream.range(0, size).parallel()
                    .mapToObj(i -> PlainPoint.toArray(seed, i, dims)).toArray(double[][]::new)).join();
        }
    }

    /** Uses {@code points} (arrays made elsewhere, say the ones an engine cached) for the gradient. */
    void usePoints(double[][] points) {
        arrays = points;
        records = null;
    }

    @Override
    public double[] gradientSums(double[] weights) {
        double[] w = weights.clone();
        int n = records != null ? records.length : arrays.length;
        List<ForkJoinTask<double[]>> chunks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            chunks.add(pool.submit(() -> {
                double[] sums = new double[w.length + 2];
                if (records != null) {
                    for (int i = from; i < to; i++) {
                        PlainPoint.add(sums, w, records[i]);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        PlainPoint.add(sums, w, arrays[i]);
                    }
                }
                return sums;
            }));
        }
        double[] total = chunks.get(0).join();
        for (int t = 1; t < chunks.size(); t++) {
            PlainPoint.merge(total, chunks.get(t).join());
        }
        return total;
    }

    @Override
    public void unloadPoints() {
        arrays = null;
        records = null;
    }

    @Override
    public void prepareTinyJob() {
        halves = HandWrittenTinyJob.halves();
    }

    @Override
    public long runTinyJob() {
        return HandWrittenTinyJob.count(pool, halves);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
