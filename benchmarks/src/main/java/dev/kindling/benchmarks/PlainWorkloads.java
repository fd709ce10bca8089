package dev.kindling.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The child side of {@link PlainBenchmark}: runs one workload of one engine in this JVM, timing it
 * (wall-clock median and mean process CPU time per run, after warm-up runs), and writes the results
 * with this JVM's peak resident memory ({@code VmHWM}) as a properties file for the parent.
 *
 * <p>Keys: {@code <workload>.wall} and {@code <workload>.cpu} in nanoseconds, {@code wordcount.top3},
 * {@code gd-arrays.weights} / {@code gd-records.weights} (the weights after the measured iterations),
 * {@code rss.kb}, {@code load} (the load average at the end).
 */
final class PlainWorkloads {

    /** The engines {@link #engine} knows. */
    static final List<String> ENGINES = List.of("kindling", "kindling-tuned", "hand-written", "spark");

    /** The workloads a child runs: one per JVM. */
    static final List<String> WORKLOADS = List.of("wordcount", "gd", "tiny");

    /**
     * The measurement settings shared by parent and child.
     *
     * @param threads    executor threads of every engine
     * @param runs       measured word-count runs (median)
     * @param warmup     unmeasured word-count runs first
     * @param points     gradient-descent points
     * @param dims       features per point (plus the intercept)
     * @param iterations measured gradient-descent iterations (median)
     * @param gdWarmup   unmeasured iterations first, at the starting weights
     * @param tinyRuns   measured tiny jobs (median; a fifth as many run first unmeasured)
     * @param seed       seed of the generated text and points
     */
    record Settings(int threads, int runs, int warmup, long points, int dims, int iterations, int gdWarmup,
                    int tinyRuns, long seed) {
    }

    private PlainWorkloads() {
    }

    /** Creates an engine by name; Spark only in a {@code -Pspark} build. */
    static PlainEngine engine(String name, int threads) {
        switch (name) {
            case "kindling":
                return new PlainKindling(threads, false);
            case "kindling-tuned":
                return new PlainKindling(threads, true);
            case "hand-written":
                return new PlainHandWritten(threads);
            case "spark":
                PlainEngine spark = BenchmarkRunner.optional("dev.kindling.benchmarks.spark.PlainSpark",
                        PlainEngine.class, threads);
                if (spark == null) {
                    throw new IllegalArgumentException("Engine 'spark' is not in this build: build and run with "
                            + "'benchmarks/run.sh --spark PlainBenchmark ...' (the -Pspark profile)");
                }
                return spark;
            default:
                throw new IllegalArgumentException("Unknown engine '" + name
                        + "'; expected kindling, kindling-tuned, hand-written or spark");
        }
    }

    /** Runs {@code workload} on {@code engineName} and writes the results to {@code resultFile}. */
    static void runChild(String engineName, String workload, Settings s, Path text, Path resultFile) throws IOException {
        Properties out = new Properties();
        try (PlainEngine engine = engine(engineName, s.threads())) {
            switch (workload) {
                case "wordcount" -> wordCount(engine, s, text, out);
                case "gd" -> {
                    gradientDescent(engine, s, false, out);
                    gradientDescent(engine, s, true, out);
                }
                case "tiny" -> tinyJob(engine, s, out);
                default -> throw new IllegalArgumentException("Unknown workload '" + workload + "'; expected one of "
                        + WORKLOADS);
            }
        }
        out.setProperty("rss.kb", String.valueOf(peakRssKb()));
        out.setProperty("load", BenchmarkRunner.loadAverage());
        try (var w = Files.newBufferedWriter(resultFile)) {
            out.store(w, engineName + " " + workload);
        }
    }

    private static void wordCount(PlainEngine engine, Settings s, Path text, Properties out) {
        List<String> top = null;
        for (int i = 0; i < s.warmup(); i++) {
            top = engine.wordCountTop3(text);
        }
        long[] wall = new long[s.runs()];
        long[] cpu = new long[s.runs()];
        for (int i = 0; i < s.runs(); i++) {
            long c0 = BenchmarkRunner.processCpuNanos();
            long t0 = System.nanoTime();
            List<String> result = engine.wordCountTop3(text);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = BenchmarkRunner.processCpuNanos() - c0;
            if (top != null && !top.equals(result)) {
                throw new AssertionError(engine.name() + " gave two different top 3: " + top + " and " + result);
            }
            top = result;
            System.out.printf(Locale.ROOT, "  [%s] word count run %d: %.2f s%n", engine.name(), i + 1, wall[i] / 1e9);
        }
        put(out, "wordcount", wall, cpu);
        out.setProperty("wordcount.top3", String.join(",", top));
    }

    private static void gradientDescent(PlainEngine engine, Settings s, boolean records, Properties out) {
        String key = records ? "gd-records" : "gd-arrays";
        System.gc();
        long l0 = System.nanoTime();
        engine.loadPoints(s.points(), s.dims(), s.seed(), records);
        out.setProperty(key + ".load", String.valueOf(System.nanoTime() - l0));
        double[] w = new double[s.dims() + 1];
        for (int i = 0; i < s.gdWarmup(); i++) {
            engine.gradientSums(w); // at the starting weights: warm-up does not move the model
        }
        long[] wall = new long[s.iterations()];
        long[] cpu = new long[s.iterations()];
        for (int i = 0; i < s.iterations(); i++) {
            long c0 = BenchmarkRunner.processCpuNanos();
            long t0 = System.nanoTime();
            double[] sums = engine.gradientSums(w);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = BenchmarkRunner.processCpuNanos() - c0;
            if (sums[w.length + 1] != s.points()) {
                throw new AssertionError(engine.name() + " summed " + sums[w.length + 1] + " points, not " + s.points());
            }
            w = PlainPoint.step(w, sums);
        }
        engine.unloadPoints();
        put(out, key, wall, cpu);
        out.setProperty(key + ".weights", String.join(",", Arrays.stream(w).mapToObj(Double::toString).toList()));
        System.out.printf(Locale.ROOT, "  [%s] %s: median iteration %.2f ms%n", engine.name(), key,
                BenchmarkRunner.median(wall) / 1e6);
    }

    private static void tinyJob(PlainEngine engine, Settings s, Properties out) {
        engine.prepareTinyJob();
        for (int i = 0; i < Math.max(1, s.tinyRuns() / 5); i++) {
            check(engine, engine.runTinyJob());
        }
        long[] wall = new long[s.tinyRuns()];
        long[] cpu = new long[s.tinyRuns()];
        for (int i = 0; i < s.tinyRuns(); i++) {
            long c0 = BenchmarkRunner.processCpuNanos();
            long t0 = System.nanoTime();
            long n = engine.runTinyJob();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = BenchmarkRunner.processCpuNanos() - c0;
            check(engine, n);
        }
        put(out, "tiny", wall, cpu);
    }

    private static void check(PlainEngine engine, long count) {
        if (count != 1000) {
            throw new AssertionError(engine.name() + " counted " + count + " of 1,000 ints");
        }
    }

    private static void put(Properties out, String key, long[] wall, long[] cpu) {
        out.setProperty(key + ".wall", String.valueOf(BenchmarkRunner.median(wall)));
        out.setProperty(key + ".cpu", String.valueOf(Arrays.stream(cpu).average().orElse(Double.NaN)));
        out.setProperty(key + ".runs", String.valueOf(wall.length));
    }

    /** This JVM's peak resident set size in kB ({@code VmHWM} of /proc/self/status), or -1 where there is none. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
