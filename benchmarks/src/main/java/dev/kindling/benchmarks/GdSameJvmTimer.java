package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.examples.ExampleCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@link PlainBenchmark}'s gradient step over {@code RDD<double[]>} and a hand-written loop over the
 * very arrays Kindling cached, in one JVM, in alternating blocks of iterations: what the engine's
 * path around the user's function costs once both are warm, with the memory layout, the heap and
 * the JIT's state shared. (PlainBenchmark runs each engine in a JVM of its own, where the
 * difference also holds each JVM's warm-up.) Prints one line per round: the mean time per
 * iteration of each, and their ratio.
 *
 * <p>Run: {@code benchmarks/run.sh GdSameJvmTimer [--rounds 12] [--block 20] [--points 1000000]
 * [--other-aggregations] [--warm-jobs 30000] [--thread-cpu]}.
 */
public final class GdSameJvmTimer {

    private GdSameJvmTimer() {
    }

    /** Runs the timer; {@code --help} lists the options. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line. */
    @Command(name = "GdSameJvmTimer", showDefaultValues = true, sortOptions = false,
            description = "Times Kindling's treeAggregate gradient step and a hand-written loop over the same cached "
                    + "arrays in one JVM, in alternating blocks.")
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Option(names = "--rounds", description = "Rounds (one block of each per round).")
        int rounds = 12;

        @Option(names = "--block", description = "Iterations per block.")
        int block = 20;

        @Option(names = "--points", description = "Points.")
        int points = 1_000_000;

        @Option(names = "--dims", description = "Features per point.")
        int dims = 10;

        @Option(names = "--threads", description = "Threads (local[threads] and the hand-written pool).")
        int threads = 2;

        @Option(names = "--other-aggregations", description = "Run three other treeAggregate functions over the "
                + "cached points first, as an application with several aggregations would: the engine's fold loop "
                + "then sees more than two functions.")
        boolean otherAggregations;

        @Option(names = "--warm-jobs", description = "Gradient jobs over a 1,000-point cached copy before measuring, "
                + "so that the engine's per-job code (scheduling, closure copies, events) is compiled: what is left "
                + "is the per-record path. A run of a few hundred iterations never gets there.")
        int warmJobs;

        @Option(names = "--thread-cpu", description = "After each round, print the CPU milliseconds each group of "
                + "threads used in it (JIT compiler threads, executor threads, the driver), from /proc (Linux).")
        boolean threadCpu;

        @Override
        public Integer call() throws Exception {
            measure(this);
            return 0;
        }
    }

    /** Three more seqOps over the cached points (a sum of labels, a count, the largest first feature). */
    private static void runOtherAggregations(RDD<double[]> cached) {
        for (int k = 0; k < 3; k++) {
            double labels = cached.treeAggregate(new double[1], (s, p) -> {
                s[0] += p[0];
                return s;
            }, PlainPoint::merge)[0];
            long count = cached.treeAggregate(new long[1], (s, p) -> {
                s[0]++;
                return s;
            }, (a, b) -> {
                a[0] += b[0];
                return a;
            })[0];
            double largest = cached.treeAggregate(new double[] {Double.NEGATIVE_INFINITY}, (s, p) -> {
                s[0] = Math.max(s[0], p[1]);
                return s;
            }, (a, b) -> {
                a[0] = Math.max(a[0], b[0]);
                return a;
            })[0];
            if (count == 0 || labels < 0 || Double.isNaN(largest)) {
                throw new AssertionError("the other aggregations saw no points");
            }
        }
    }

    /** {@code --warm-jobs}: the gradient job, run often over a small cached copy, so its engine code is compiled. */
    private static void warmUpJobs(KindlingContext kc, Cli c, double[] w) {
        if (c.warmJobs <= 0) {
            return;
        }
        int dims = c.dims;
        RDD<double[]> small = kc.range(0, 1000).map(i -> PlainPoint.toArray(2, i, dims)).cache();
        double points = 0;
        for (int k = 0; k < c.warmJobs; k++) {
            double[] ww = w.clone();
            points += small.treeAggregate(new double[dims + 3], (s, p) -> PlainPoint.add(s, ww, p), PlainPoint::merge)[dims + 2];
        }
        if (points != 1000.0 * c.warmJobs) {
            throw new AssertionError("the warm-up jobs summed " + points + " points");
        }
        small.unpersist();
    }

    private static void measure(Cli c) throws Exception {
        try (PlainHandWritten hand = new PlainHandWritten(c.threads);
             KindlingContext kc = Kindling.builder().master("local[" + c.threads + "]").appName("gd-same-jvm")
                     .config("kindling.ui.showConsoleProgress", "false").build()) {
            int dims = c.dims; // the functions capture this int, not the (unserializable) command line
            RDD<double[]> cached = kc.range(0, c.points).map(i -> PlainPoint.toArray(1, i, dims)).cache();
            cached.count();
            // In local mode the iterator hands out the cached objects themselves: these are the
            // arrays the Kindling job reads, not copies.
            hand.usePoints(cached.glom().collect().stream().flatMap(List::stream).toArray(double[][]::new));
            double[] w = new double[c.dims + 1];
            Arrays.fill(w, 0.01);
            if (c.otherAggregations) {
                runOtherAggregations(cached);
            }
            warmUpJobs(kc, c, w);
            boolean threadCpu = c.threadCpu && ThreadCpu.available();
            Map<String, Long> cpu = threadCpu ? ThreadCpu.byGroup() : null;
            System.out.printf(Locale.ROOT, "round | kindling ms/iter | hand-written ms/iter | ratio%n");
            for (int round = 1; round <= c.rounds; round++) {
                long t0 = System.nanoTime();
                double[] a = null;
                for (int k = 0; k < c.block; k++) {
                    double[] ww = w.clone();
                    a = cached.treeAggregate(new double[c.dims + 3], (s, p) -> PlainPoint.add(s, ww, p),
                            PlainPoint::merge);
                }
                long t1 = System.nanoTime();
                double[] b = null;
                for (int k = 0; k < c.block; k++) {
                    b = hand.gradientSums(w);
                }
                long t2 = System.nanoTime();
                if (a[c.dims + 2] != b[c.dims + 2]) {
                    throw new AssertionError("the two summed " + a[c.dims + 2] + " and " + b[c.dims + 2] + " points");
                }
                double kindlingMs = (t1 - t0) / 1e6 / c.block;
                double handMs = (t2 - t1) / 1e6 / c.block;
                System.out.printf(Locale.ROOT, "%5d | %16.2f | %20.2f | %5.2f%n", round, kindlingMs, handMs,
                        kindlingMs / handMs);
                if (threadCpu) {
                    Map<String, Long> now = ThreadCpu.byGroup();
                    System.out.println("      CPU ms this round: " + ThreadCpu.difference(cpu, now));
                    cpu = now;
                }
            }
        }
    }
}
