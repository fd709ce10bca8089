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
 * with this JVM's peak resident memory ({@code VmHWM}) as a properties file for the parent. An engine
 * that starts processes of its own ({@code kindling-cluster}: its executor JVMs) is measured with them:
 * CPU times add the children's, peak memory is the driver's plus the children's (read before the
 * engine stops them).
 *
 * <p>Keys: {@code <workload>.wall} and {@code <workload>.cpu} in nanoseconds, {@code wordcount.alloc}
 * (median heap bytes allocated per run by this JVM's threads, {@link HeapAllocation}; absent for an
 * engine with executor processes), {@code wordcount.top3},
 * {@code gd-arrays.weights} / {@code gd-records.weights} (the weights after the measured iterations),
 * {@code rss.kb} (all processes), {@code rss.children.kb} (the children's part), {@code load} (the load
 * average at the end).
 */
final class PlainWorkloads {

    /** The engines {@link #engine} knows. */
    static final List<String> ENGINES = List.of("kindling", "kindling-tuned", "kindling-cluster", "hand-written", "spark");

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
     * @param tinyRuns   measured tiny jobs (median)
     * @param tinyWarmup unmeasured tiny jobs first
     * @param seed       seed of the generated text and points
     * @param cluster    the executors of {@code kindling-cluster}
     */
    record Settings(int threads, int runs, int warmup, long points, int dims, int iterations, int gdWarmup,
                    int tinyRuns, int tinyWarmup, long seed, ClusterOptions cluster) {
    }

    /**
     * How {@code kindling-cluster} runs: {@code local-cluster[threads,1,memoryMb]}, with extra executor
     * JVM options ({@code kindling.executor.extraJavaOptions}, white-space separated; may be empty).
     */
    record ClusterOptions(int memoryMb, String executorJavaOptions) {
    }

    private PlainWorkloads() {
    }

    /** Creates an engine by name; Spark only in a {@code -Pspark} build. */
    static PlainEngine engine(String name, int threads, ClusterOptions cluster) {
        switch (name) {
            case "kindling":
                return PlainKindling.local(threads, false);
            case "kindling-tuned":
                return PlainKindling.local(threads, true);
            case "kindling-cluster":
                return PlainKindling.cluster(threads, cluster.memoryMb(), cluster.executorJavaOptions());
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
                        + "'; expected one of " + ENGINES);
        }
    }

    /** Runs {@code workload} on {@code engineName} and writes the results to {@code resultFile}. */
    static void runChild(String engineName, String workload, Settings s, Path text, Path resultFile) throws IOException {
        Properties out = new Properties();
        long childrenKb;
        try (PlainEngine engine = engine(engineName, s.threads(), s.cluster())) {
            ChildProcesses children = ChildProcesses.ofThisJvm();
            Cpu cpu = () -> BenchmarkRunner.processCpuNanos() + children.cpuNanos();
            switch (workload) {
                // Allocation is counted in this JVM only: an engine with executor processes has none here.
                case "wordcount" -> wordCount(engine, s, text, out, cpu, children.count() == 0 && HeapAllocation.supported());
                case "gd" -> {
                    gradientDescent(engine, s, false, out, cpu);
                    gradientDescent(engine, s, true, out, cpu);
                }
                case "tiny" -> tinyJob(engine, s, out, cpu);
                default -> throw new IllegalArgumentException("Unknown workload '" + workload + "'; expected one of "
                        + WORKLOADS);
            }
            childrenKb = children.peakRssKb(); // before close() stops them
        }
        long rssKb = peakRssKb() + childrenKb;
        out.setProperty("rss.kb", String.valueOf(rssKb));
        out.setProperty("rss.children.kb", String.valueOf(childrenKb));
        // Each round's peak, so the spread behind the report's largest value is in the log.
        System.out.printf(Locale.ROOT, "  [%s] %s: peak RSS %d MB%n", engineName, workload, rssKb >> 10);
        out.setProperty("load", BenchmarkRunner.loadAverage());
        try (var w = Files.newBufferedWriter(resultFile)) {
            out.store(w, engineName + " " + workload);
        }
    }

    /** CPU time so far in nanoseconds: this JVM's, plus its children's where the engine has any. */
    @FunctionalInterface
    private interface Cpu {
        long nanos();
    }

    private static void wordCount(PlainEngine engine, Settings s, Path text, Properties out, Cpu cpuTime,
                                  boolean countAllocation) {
        List<String> top = null;
        for (int i = 0; i < s.warmup(); i++) {
            top = engine.wordCountTop3(text);
        }
        long[] wall = new long[s.runs()];
        long[] cpu = new long[s.runs()];
        long[] allocated = new long[s.runs()];
        for (int i = 0; i < s.runs(); i++) {
            long c0 = cpuTime.nanos();
            HeapAllocation a0 = countAllocation ? HeapAllocation.start() : null;
            long t0 = System.nanoTime();
            List<String> result = engine.wordCountTop3(text);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = cpuTime.nanos() - c0;
            allocated[i] = countAllocation ? a0.bytes() : -1;
            if (top != null && !top.equals(result)) {
                throw new AssertionError(engine.name() + " gave two different top 3: " + top + " and " + result);
            }
            top = result;
            System.out.printf(Locale.ROOT, "  [%s] word count run %d: %.2f s%s%n", engine.name(), i + 1, wall[i] / 1e9,
                    countAllocation ? String.format(Locale.ROOT, ", %,d MB allocated", allocated[i] >> 20) : "");
        }
        put(out, "wordcount", wall, cpu);
        out.setProperty("wordcount.top3", String.join(",", top));
        if (countAllocation) {
            out.setProperty("wordcount.alloc", String.valueOf(BenchmarkRunner.median(allocated)));
        }
    }

    private static void gradientDescent(PlainEngine engine, Settings s, boolean records, Properties out, Cpu cpuTime) {
        String key = records ? "gd-records" : "gd-arrays";
        System.gc();
        long l0 = System.nanoTime();
        engine.loadPoints(s.points(), s.dims(), s.seed(), records);
        out.setProperty(key + ".load", String.valueOf(System.nanoTime() - l0));
        // Every engine's points are compacted before the first iteration (in executor JVMs too).
        // Without this, chance decides the layout: if the loading's last young collection came before
        // the loading ended, the newest points stay in eden spread among the loading's garbage, and the
        // same code then takes 54-60 ms of CPU per iteration instead of 44-47 ms (Kindling, 1M x 10,
        // eight JVMs with -Xlog:gc).
        engine.compactPoints();
        double[] w = new double[s.dims() + 1];
        for (int i = 0; i < s.gdWarmup(); i++) {
            engine.gradientSums(w); // at the starting weights: warm-up does not move the model
        }
        long[] wall = new long[s.iterations()];
        long[] cpu = new long[s.iterations()];
        for (int i = 0; i < s.iterations(); i++) {
            long c0 = cpuTime.nanos();
            long t0 = System.nanoTime();
            double[] sums = engine.gradientSums(w);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = cpuTime.nanos() - c0;
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

    private static void tinyJob(PlainEngine engine, Settings s, Properties out, Cpu cpuTime) {
        engine.prepareTinyJob();
        for (int i = 0; i < Math.max(1, s.tinyWarmup()); i++) {
            check(engine, engine.runTinyJob());
        }
        long[] wall = new long[s.tinyRuns()];
        long[] cpu = new long[s.tinyRuns()];
        for (int i = 0; i < s.tinyRuns(); i++) {
            long c0 = cpuTime.nanos();
            long t0 = System.nanoTime();
            long n = engine.runTinyJob();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = cpuTime.nanos() - c0;
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
        return peakRssKb(Path.of("/proc/self/status"));
    }

    /** The peak resident set size in kB ({@code VmHWM}) in a {@code /proc/<pid>/status} file, or -1 where there is none. */
    static long peakRssKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
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
