package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.examples.ExampleCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the status web UI costs a job of many tiny tasks (the goal: a job of 100,000 tiny tasks
 * no more than 5% slower with the UI on than off). Each round runs the same job in a context with
 * {@code kindling.ui.enabled=true} and in one without, in alternating order, so a change of load on a
 * shared machine hits both alike; it prints each round and the median and best of each, and the ratio,
 * for wall time and for the CPU time of the whole process during the job (less sensitive to other load
 * on the machine).
 * The UI keeps its defaults (100,000 retained tasks per stage: every task of the job is kept).
 *
 * <p>Run: {@code benchmarks/run.sh UiOverheadTimer [--tasks 100000] [--rounds 7] [--threads 2]}.
 */
public final class UiOverheadTimer {

    private UiOverheadTimer() {
    }

    /** Runs the timer; {@code --help} lists the options. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line. */
    @Command(name = "UiOverheadTimer", showDefaultValues = true,
            description = "Times a job of many one-element tasks with the status UI on and off, alternating.")
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Option(names = "--tasks", description = "Tasks (partitions of one element each) per job.")
        int tasks = 100_000;

        @Option(names = "--rounds", description = "Rounds; each runs the job once with the UI and once without.")
        int rounds = 7;

        @Option(names = "--threads", description = "Executor threads.")
        int threads = 2;

        @Override
        public Integer call() {
            measure(tasks, rounds, threads);
            return 0;
        }
    }

    /** One job in a fresh context: a count over {@code tasks} one-element partitions; returns wall and CPU seconds. */
    private static double[] timeJob(boolean ui, int tasks, int threads) {
        Kindling.Builder b = Kindling.builder().master("local[" + threads + "]")
                .config(KindlingConf.SHOW_CONSOLE_PROGRESS, false).config("kindling.ui.enabled", Boolean.toString(ui))
                .config("kindling.ui.port", "0");
        try (KindlingContext kc = b.build()) {
            kc.range(0, 2_000, 1, 2_000).count(); // warm-up in this context (class loading, JIT)
            System.gc();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long n = kc.range(0, tasks, 1, tasks).count();
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - c0) / 1e9;
            if (n != tasks) {
                throw new IllegalStateException("counted " + n + " instead of " + tasks);
            }
            return new double[] {s, cpu};
        }
    }

    static void measure(int tasks, int rounds, int threads) {
        System.out.printf(Locale.ROOT, "job of %,d one-element tasks, local[%d], %d rounds; load average %.2f%n",
                tasks, threads, rounds, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        timeJob(true, Math.min(tasks, 20_000), threads); // warm the JVM up for both
        timeJob(false, Math.min(tasks, 20_000), threads);
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> onCpu = new ArrayList<>();
        List<Double> offCpu = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean uiFirst = r % 2 == 0;
            double[] a = timeJob(uiFirst, tasks, threads);
            double[] b = timeJob(!uiFirst, tasks, threads);
            double[] withUi = uiFirst ? a : b;
            double[] without = uiFirst ? b : a;
            on.add(withUi[0]);
            off.add(without[0]);
            onCpu.add(withUi[1]);
            offCpu.add(without[1]);
            System.out.printf(Locale.ROOT, "round %d: UI on %.3f s (CPU %.3f s), UI off %.3f s (CPU %.3f s)%n", r + 1,
                    withUi[0], withUi[1], without[0], without[1]);
        }
        report("wall", on, off);
        report("CPU ", onCpu, offCpu);
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void report(String what, List<Double> on, List<Double> off) {
        double medianOn = median(on);
        double medianOff = median(off);
        System.out.printf(Locale.ROOT, "%s median: UI on %.3f s, UI off %.3f s, on/off %.3f (%+.1f%%); best: on %.3f s, "
                + "off %.3f s, on/off %.3f%n", what, medianOn, medianOff, medianOn / medianOff,
                (medianOn / medianOff - 1) * 100, Collections.min(on), Collections.min(off),
                Collections.min(on) / Collections.min(off));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
