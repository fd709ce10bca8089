package dev.kindling.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Logistic-regression gradient descent, Kindling side by side with a hand-written Java loop over
 * {@code double[][]} on a ForkJoinPool of the same size (and, with {@code -Pspark}, Spark on the same
 * point blocks as Kindling and Spark on one record per point):
 * <ul>
 *   <li>load-and-cache time: generating the points and keeping them in memory;</li>
 *   <li>median time of one gradient-descent iteration (one pass over all points), for each size in
 *       {@code --sizes} (default 250000,500000,1000000,2000000,4000000 points of 10 features;
 *       target: at most 1.0x hand-written);</li>
 *   <li>job overhead: the same iteration over 10,000 points (target: under 1 ms).</li>
 * </ul>
 * Every contender runs the same driver loop from zero weights with step 1; the final weights of all
 * contenders must agree (to 1e-9 relative), which the report notes.
 * <pre>
 * benchmarks/run.sh LogRegBenchmark [--threads 2] [--sizes 250000,1000000] [--dims 10] [--iterations 20] [--warmup 3]
 * </pre>
 * Give the JVM room for the largest size (4M points need about 1.3 GB per engine): run.sh uses -Xmx6g.
 */
@Command(name = "LogRegBenchmark", sortOptions = false, showDefaultValues = true,
        description = {"Logistic-regression gradient descent side by side with a hand-written loop (and Spark with -Pspark):",
                "load-and-cache time, median iteration time per size, and the job overhead at 10,000 points."})
public final class LogRegBenchmark extends BenchmarkRunner {

    @Option(names = "--threads", paramLabel = "<n>", description = "Executor threads of every engine.")
    int threads = 2;

    @Option(names = "--sizes", paramLabel = "<n>", split = ",", defaultValue = "250000,500000,1000000,2000000,4000000",
            description = "Point counts to measure an iteration at.")
    long[] sizes;

    @Option(names = "--dims", paramLabel = "<d>", description = "Features per point.")
    int dims = 10;

    @Option(names = "--iterations", paramLabel = "<n>", description = "Measured iterations per size and engine.")
    int iterations = 20;

    @Option(names = "--warmup", paramLabel = "<n>", description = "Unmeasured iterations per size and engine first.")
    int warmup = 3;

    @Option(names = "--overhead-size", paramLabel = "<n>", description = "Points of the job-overhead measurement.")
    long overheadSize = 10_000;

    @Option(names = "--uncached", paramLabel = "<true|false>", arity = "1", defaultValue = "false",
            description = "Also measure Kindling recomputing the points from lineage every pass (default: ${DEFAULT-VALUE}).")
    boolean uncached;

    /** Runs the benchmark; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        main(new LogRegBenchmark(), args);
    }

    @Override
    protected String name() {
        return "logreg";
    }

    @Override
    protected void run() {
        List<LogRegContender> contenders = new ArrayList<>();
        contenders.add(new KindlingContenders.LogReg(threads, true));
        contenders.add(new HandWrittenContenders.LogReg(threads));
        if (uncached) {
            // The same passes recomputing the points from their lineage each time (storage issue's comparison).
            contenders.add(new KindlingContenders.LogReg(threads, false));
        }
        // With -Pspark: Spark on the same blocks as Kindling, and Spark on one record per point.
        for (String spark : new String[] {"SparkLogRegBlocks", "SparkLogReg"}) {
            LogRegContender contender = optional("dev.kindling.benchmarks.spark." + spark, LogRegContender.class, threads);
            if (contender != null) {
                contenders.add(contender);
            }
        }
        try {
            measure(contenders, overheadSize, dims, 300, 300, false, "job overhead: one GD iteration",
                    "kindling < 1 ms");
            for (long n : sizes) {
                measure(contenders, n, dims, iterations, warmup, true, "logistic regression GD, " + dims
                        + " features, " + threads + " threads", "kindling <= 1.0x hand-written");
            }
        } finally {
            contenders.forEach(LogRegContender::close);
        }
    }

    private void measure(List<LogRegContender> contenders, long n, int dims, int iterations, int warmup,
                         boolean withLoad, String benchmark, String target) {
        String size = label(n);
        int k = contenders.size();
        double[][] weights = new double[k][dims + 1];
        for (int c = 0; c < k; c++) {
            System.gc();
            long start = System.nanoTime();
            contenders.get(c).load(n, dims, 1);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            if (withLoad) {
                record("load and cache " + dims + "-feature points", size, contenders.get(c).name(), loadSeconds, "s", "");
            }
        }
        // Iterations take turns between the contenders, so load changes on the machine hit all alike.
        List<Runnable> steps = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            LogRegContender contender = contenders.get(c);
            int index = c;
            for (int i = 0; i < warmup; i++) {
                contender.gradientSums(weights[c]); // warm-up passes at the starting weights do not move the model
            }
            steps.add(() -> {
                double[] w = weights[index];
                double[] sums = contender.gradientSums(w);
                double[] next = new double[w.length];
                for (int j = 0; j < next.length; j++) {
                    next[j] = w[j] - sums[j] / sums[next.length + 1]; // step 1 against the mean gradient
                }
                weights[index] = next;
            });
        }
        Medians medians = interleavedMedians(0, iterations, 1, steps);
        for (int c = 0; c < k; c++) {
            contenders.get(c).unload();
            record(benchmark + (withLoad ? ": median iteration" : ""), size, contenders.get(c).name(),
                    medians.wallNanos()[c] / 1e6, "ms", target);
            if (c > 0) {
                checkSame(weights[0], weights[c], contenders.get(c).name(), size);
            }
        }
        for (int c = 0; c < k; c++) {
            record((withLoad ? "GD iteration" : "job overhead") + ": CPU time per iteration (mean, all threads)", size,
                    contenders.get(c).name(), medians.cpuNanos()[c] / 1e6, "ms", "");
        }
    }

    private void checkSame(double[] reference, double[] w, String engine, String size) {
        double scale = Arrays.stream(reference).map(Math::abs).max().orElse(1);
        for (int j = 0; j < w.length; j++) {
            if (Math.abs(reference[j] - w[j]) > 1e-9 * scale) {
                throw new AssertionError(engine + " computed different weights at " + size + ": "
                        + Arrays.toString(w) + " vs " + Arrays.toString(reference));
            }
        }
        note(engine + " weights equal Kindling's to 1e-9 at " + size);
    }

    private static String label(long n) {
        if (n >= 1_000_000) {
            return (n % 1_000_000 == 0 ? String.valueOf(n / 1_000_000) : String.valueOf(n / 1e6)) + "M points";
        }
        return (n % 1000 == 0 ? String.valueOf(n / 1000) : String.valueOf(n / 1e3)) + "k points";
    }
}
