package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.LongAccumulator;
import dev.kindling.RDD;
import dev.kindling.examples.ExampleCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The jobs of {@link TinyJobBenchmark} timed without JMH, alternating the three
 * {@code kindling.closure.copyPerTask} modes round by round and keeping each mode's best round, so
 * the comparison holds on a busy shared machine where JMH's averages drown in noise.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:rdd-core/target/classes:scheduler/target/classes:storage/target/classes:$(cat cp.txt)"
 * dev.kindling.benchmarks.TinyJobTimer [rounds] [jobsPerRound]} (classpath as in {@link TinyJobBenchmark}).
 */
public final class TinyJobTimer {

    private TinyJobTimer() {
    }

    /** Runs the timer: {@code [rounds] [jobsPerRound]}; {@code --help} describes them. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line: rounds and jobs per round. */
    @Command(name = "TinyJobTimer", showDefaultValues = true,
            description = "Times tiny jobs in each kindling.closure.copyPerTask mode, alternating modes round by round.")
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<rounds>", description = "Rounds (each mode once per round).")
        int rounds = 6;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<jobs>", description = "Jobs per mode and round.")
        int jobs = 3000;

        @Override
        public Integer call() {
            measure(rounds, jobs);
            return 0;
        }
    }

    /** Prints the best time per job of each mode. */
    static void measure(int rounds, int jobs) {
        List<Integer> data = IntStream.range(0, 1000).boxed().toList();
        String[] modes = {"false", "true", "always"};
        Map<String, double[]> best = new LinkedHashMap<>();
        for (String m : modes) {
            best.put(m, new double[] {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE});
        }
        for (int round = 0; round < rounds; round++) {
            for (String mode : modes) {
                try (KindlingContext kc = Kindling.builder().master("local[2]")
                        .config(KindlingConf.SHOW_CONSOLE_PROGRESS, false)
                        .config(KindlingConf.CLOSURE_COPY_PER_TASK, mode).build()) {
                    RDD<Integer> ints = kc.parallelize(data, 2);
                    RDD<Integer> mapped = ints.map(x -> x + 1).filter(x -> x % 2 == 0);
                    LongAccumulator acc = kc.longAccumulator();
                    double[] b = best.get(mode);
                    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
                        long t0 = System.nanoTime();
                        for (int i = 0; i < jobs; i++) {
                            ints.count();
                        }
                        long t1 = System.nanoTime();
                        for (int i = 0; i < jobs; i++) {
                            mapped.count();
                        }
                        long t2 = System.nanoTime();
                        for (int i = 0; i < jobs; i++) {
                            ints.foreach(acc::add);
                        }
                        long t3 = System.nanoTime();
                        if (pass == 1) {
                            b[0] = Math.min(b[0], (t1 - t0) / 1e3 / jobs);
                            b[1] = Math.min(b[1], (t2 - t1) / 1e3 / jobs);
                            b[2] = Math.min(b[2], (t3 - t2) / 1e3 / jobs);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, double[]> e : best.entrySet()) {
            double[] b = e.getValue();
            System.out.printf(Locale.ROOT, "copyPerTask=%-6s count %6.1f us/job | map+filter+count %6.1f us/job | "
                    + "foreach(acc::add) %6.1f us/job%n", e.getKey(), b[0], b[1], b[2]);
        }
    }
}
