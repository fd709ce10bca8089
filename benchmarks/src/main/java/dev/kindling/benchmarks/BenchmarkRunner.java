package dev.kindling.benchmarks;

import dev.kindling.examples.ExampleCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The shared base of the side-by-side benchmarks: option parsing, timing (medians of repeated
 * runs), and the report every benchmark ends with: a table on stdout, a CSV file and an SVG bar
 * chart in the output directory ({@code --out}, default {@code benchmarks/results}).
 *
 * <p>A benchmark class extends this, declares its options as picocli {@code @Option} fields (with
 * descriptions; {@code --help} lists them with their defaults, a usage error exits 2, see
 * {@link ExampleCommand}), implements {@link #run()} by measuring and calling {@link #record}, and
 * has a {@code main} that calls {@link #main(BenchmarkRunner, String[])}. The numbers are wall-clock
 * medians measured in one JVM after warm-up runs, so they include JIT-compiled steady-state code,
 * garbage collection and thread hand-offs, as a user would see them.
 */
public abstract class BenchmarkRunner implements Callable<Integer> {

    /**
     * One measured number.
     *
     * @param benchmark what was measured, e.g. "tiny job: count of 1,000 ints"
     * @param size      the input size, e.g. "1M points"
     * @param engine    who ran it: "kindling", "hand-written", "spark"
     * @param value     the measurement
     * @param unit      its unit, e.g. "ms"
     * @param target    the goal for Kindling, in words ("<= 0.2 ms"), or empty
     */
    public record Row(String benchmark, String size, String engine, double value, String unit, String target) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    @Mixin
    ExampleCommand.HelpOption help;

    @Option(names = "--out", paramLabel = "<dir>", description = "Directory for the CSV and SVG report.")
    Path out = Path.of("benchmarks/results");

    /** Runs the measurements, calling {@link #record} for each number. */
    protected abstract void run() throws Exception;

    /** The report's name: the CSV and SVG files are {@code <name>.csv} and {@code <name>.svg}. */
    protected abstract String name();

    /**
     * The body of a benchmark's {@code main}: parses {@code argv} into {@code benchmark}'s options, runs
     * it, writes the report and exits the JVM (0; 2 after a usage error; a failure propagates). Exits
     * even on success, so that threads an engine leaves behind (Spark's) cannot keep the JVM up.
     */
    protected static void main(BenchmarkRunner benchmark, String[] argv) throws Exception {
        System.exit(execute(benchmark, new PrintWriter(System.out, true), new PrintWriter(System.err, true), argv));
    }

    /** Runs {@code benchmark} with {@code argv}, help and usage errors going to {@code out} and {@code err}; returns the exit status. */
    public static int execute(BenchmarkRunner benchmark, PrintWriter out, PrintWriter err, String... argv)
            throws Exception {
        return ExampleCommand.execute(benchmark, out, err, argv);
    }

    /** Runs the benchmark and writes the report (called by picocli once the options are set). */
    @Override
    public final Integer call() throws Exception {
        System.out.println("# " + name() + " on " + environment());
        run();
        report(out);
        return 0;
    }

    /** Records one number for the report (and prints it at once, so long runs show progress). */
    protected final void record(String benchmark, String size, String engine, double value, String unit, String target) {
        Row row = new Row(benchmark, size, engine, value, unit, target);
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %-45s %-12s %-13s %12.4f %s%n", benchmark, size, engine, value, unit);
    }

    /** Adds a line of explanation under the table (a check that passed, a caveat). */
    protected final void note(String line) {
        notes.add(line);
        System.out.println("  note: " + line);
    }

    /** The rows recorded so far. */
    protected final List<Row> rows() {
        return rows;
    }

    /**
     * Runs {@code body} {@code warmups} times unmeasured, then {@code runs} times, and returns the
     * median duration in nanoseconds.
     */
    public static double medianNanos(int warmups, int runs, Runnable body) {
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            times[i] = System.nanoTime() - start;
        }
        return median(times);
    }

    /**
     * Medians of several bodies measured taking turns (body 0, 1, ..., 0, 1, ... in rounds of
     * {@code batch} runs each), so that a change in machine load during the run affects all of
     * them alike.
     *
     * @param wallNanos median wall-clock time of each body
     * @param cpuNanos  mean CPU time of the whole process (all threads) per run of each body: less
     *                  sensitive than wall time to other programs competing for the cores (a mean,
     *                  because the operating system counts CPU time in coarse ticks)
     */
    public record Medians(double[] wallNanos, double[] cpuNanos) {
    }

    /** Measures {@code bodies} in turns after {@code warmups} unmeasured runs each; see {@link Medians}. */
    public static Medians interleavedMedians(int warmups, int runs, int batch, List<Runnable> bodies) {
        for (Runnable body : bodies) {
            for (int i = 0; i < warmups; i++) {
                body.run();
            }
        }
        long[][] wall = new long[bodies.size()][runs];
        long[][] cpu = new long[bodies.size()][runs];
        for (int done = 0; done < runs; done += batch) {
            for (int b = 0; b < bodies.size(); b++) {
                for (int i = done; i < Math.min(runs, done + batch); i++) {
                    long cpuStart = processCpuNanos();
                    long start = System.nanoTime();
                    bodies.get(b).run();
                    wall[b][i] = System.nanoTime() - start;
                    cpu[b][i] = processCpuNanos() - cpuStart;
                }
            }
        }
        double[] wallMedians = new double[bodies.size()];
        double[] cpuMedians = new double[bodies.size()]; // means, see Medians
        for (int b = 0; b < wallMedians.length; b++) {
            wallMedians[b] = median(wall[b]);
            cpuMedians[b] = java.util.Arrays.stream(cpu[b]).average().orElse(Double.NaN);
        }
        return new Medians(wallMedians, cpuMedians);
    }

    /** CPU time used so far by this JVM, all threads together, in nanoseconds (-1 if unknown). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** The median of the values (the mean of the middle two for an even count). */
    public static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Processor count, JVM, heap and OS, for the report header. */
    public static String environment() {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%d cores, %s %s (%s), max heap %d MB, %s %s",
                rt.availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20, System.getProperty("os.name"),
                System.getProperty("os.arch"))
                + ", JVM flags " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("--add-opens") && !a.startsWith("-Dio.netty") && !a.startsWith("-Djdk.reflect"))
                .toList()
                + ", load average " + loadAverage();
    }

    /** The 1-minute load average (other processes competing for the cores), or "n/a". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return load < 0 ? "n/a" : String.valueOf(load);
        }
    }

    private void report(Path outDir) throws IOException {
        System.out.println();
        System.out.println("load average at the end: " + loadAverage());
        System.out.println(table());
        notes.forEach(n -> System.out.println("note: " + n));
        Files.createDirectories(outDir);
        Path csv = outDir.resolve(name() + ".csv");
        StringBuilder sb = new StringBuilder("benchmark,size,engine,value,unit,target\n");
        for (Row r : rows) {
            sb.append(csvField(r.benchmark())).append(',').append(csvField(r.size())).append(',')
                    .append(csvField(r.engine())).append(',').append(String.format(Locale.ROOT, "%.6f", r.value()))
                    .append(',').append(csvField(r.unit())).append(',').append(csvField(r.target())).append('\n');
        }
        Files.writeString(csv, sb);
        Path svg = outDir.resolve(name() + ".svg");
        Files.writeString(svg, SvgChart.render(name() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ")", rows));
        System.out.println("Wrote " + csv + " and " + svg);
    }

    /** The rows as a Markdown table (pasted into README.md). */
    public final String table() {
        StringBuilder sb = new StringBuilder("| benchmark | size | engine | value | target |\n|---|---|---|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.benchmark()).append(" | ").append(r.size()).append(" | ").append(r.engine())
                    .append(" | ").append(format(r.value())).append(' ').append(r.unit()).append(" | ")
                    .append(r.target()).append(" |\n");
        }
        return sb.toString();
    }

    /** Three significant digits, without exponent for everyday magnitudes. */
    static String format(double v) {
        if (v == 0 || Double.isNaN(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /**
     * Creates an optional contender with a {@code (int threads)} constructor (the Spark ones exist
     * only in a {@code -Pspark} build), or returns null when its class is absent.
     */
    @SuppressWarnings("unchecked")
    protected static <T> T optional(String className, Class<T> type, int threads) {
        try {
            return (T) Class.forName(className).getDeclaredConstructor(int.class).newInstance(threads);
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("Could not start " + className + ": " + e, e);
        }
    }

    /** Wraps an I/O failure with what was being done. */
    protected static UncheckedIOException io(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
