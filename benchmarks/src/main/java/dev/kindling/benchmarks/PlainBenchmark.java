package dev.kindling.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The "plain user code" suite of issue 14: the programs a Spark user would write, timed on Kindling,
 * on Kindling's executor processes ({@code kindling-cluster}: {@code local-cluster[threads,1,M]}, issue 12),
 * in hand-written Java and (in a {@code -Pspark} build) on Spark {@code local[threads]}:
 * <ol>
 *   <li>word count of generated Zipf text: {@code textFile(f).flatMap(l -> Arrays.asList(l.split(" ")).iterator())
 *       .mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum).mapToPair(Pair::swap).sortByKey(false).take(3)}
 *       (and, as "kindling-tuned", the word-count example's pipeline with the same top 3);</li>
 *   <li>logistic-regression gradient descent over cached {@code RDD<double[]>} and {@code RDD<PlainPoint>},
 *       one {@code treeAggregate} per iteration;</li>
 *   <li>the tiny job: {@code count()} of 1,000 ints in 2 partitions.</li>
 * </ol>
 * Each engine runs each workload in a JVM of its own (so its peak RSS, {@code VmHWM}, is its own),
 * with warm-up runs and medians; with {@code --rounds n} all those JVMs run n times in turns and the
 * report takes the median over the rounds. The report sets each goal of issues 14 and 12 beside its
 * ratio. The cluster engine's CPU times and peak RSS include its executor processes'.
 * <pre>
 * benchmarks/run.sh [--spark] PlainBenchmark [--mb 200] [--runs 5] [--rounds 1] [--points 1000000] [--heap 6g]
 *     [--executor-memory MiB] [--executor-jvm-option OPT]... [--out DIR]
 * </pre>
 */
@Command(name = "PlainBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times plain user programs (word count, cached gradient descent, tiny job) on Kindling,",
                "hand-written Java and Spark (with -Pspark), each engine in its own JVM; writes a table,",
                "plain.csv, plain-goals.csv and plain.svg."})
public final class PlainBenchmark implements Callable<Integer> {

    @Option(names = "--mb", defaultValue = "200", description = "Size of the generated Zipf text in MB (default ${DEFAULT-VALUE}).")
    long mb;

    @Option(names = "--threads", defaultValue = "2", description = "Executor threads of every engine (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--runs", defaultValue = "5", description = "Measured word-count runs, median (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured word-count runs first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--points", defaultValue = "1000000", description = "Gradient-descent points (default ${DEFAULT-VALUE}).")
    long points;

    @Option(names = "--dims", defaultValue = "10", description = "Features per point (default ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--iterations", defaultValue = "20", description = "Measured GD iterations, median (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--gd-warmup", defaultValue = "100", description = "Unmeasured GD iterations first (default "
            + "${DEFAULT-VALUE}): an engine's per-job code is compiled by the JIT only after some hundred jobs.")
    int gdWarmup;

    @Option(names = "--tiny-runs", defaultValue = "1000", description = "Measured tiny jobs, median (default ${DEFAULT-VALUE}).")
    int tinyRuns;

    @Option(names = "--tiny-warmup", defaultValue = "2000",
            description = "Unmeasured tiny jobs first: enough for the JIT to compile the job path (default ${DEFAULT-VALUE}).")
    int tinyWarmup;

    @Option(names = "--rounds", defaultValue = "1", description = "Times to run every engine's JVMs, in turns; "
            + "times are the median over the rounds (default ${DEFAULT-VALUE}; use 3 or more on a busy machine).")
    int rounds;

    @Option(names = "--engines", split = ",", defaultValue = "kindling,kindling-tuned,kindling-cluster,hand-written,spark",
            description = "Engines to run (default ${DEFAULT-VALUE}); spark is skipped when the build has no Spark.")
    List<String> engines;

    @Option(names = "--workloads", split = ",", defaultValue = "wordcount,gd,tiny",
            description = "Workloads to run (default ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--heap", defaultValue = "6g", description = "-Xmx of every engine's JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--executor-memory", description = "Heap in MiB of each executor JVM of kindling-cluster, "
            + "the M of local-cluster[threads,1,M] (default: half of --heap).")
    Integer executorMemoryMb;

    @Option(names = "--executor-jvm-option", description = "An extra option for kindling-cluster's executor JVMs "
            + "(repeatable; kindling.executor.extraJavaOptions, {{EXECUTOR_ID}} becomes the executor's id), e.g. "
            + "-XX:StartFlightRecording=filename=/tmp/exec-{{EXECUTOR_ID}}.jfr")
    List<String> executorJvmOptions = new ArrayList<>();

    @Option(names = "--jvm-option", description = "An extra option for the engines' JVMs (repeatable), e.g. -XX:StartFlightRecording=...")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the text and the points (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", description = "Directory of the generated text, reused between runs (default: <tmp>/kindling-bench).")
    Path data;

    @Option(names = "--out", defaultValue = "benchmarks/results", description = "Directory of the report files (default ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Option(names = "--child", hidden = true, description = "Internal: engine:workload:result-file, run in this JVM.")
    String child;

    @Option(names = "--text", hidden = true, description = "Internal: the text file of a child.")
    Path text;

    /** Runs the benchmark; {@code --help} lists the options. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new PlainBenchmark()).execute(args));
    }

    PlainWorkloads.Settings settings() {
        return new PlainWorkloads.Settings(threads, runs, warmup, points, dims, iterations, gdWarmup, tinyRuns,
                tinyWarmup, seed, new PlainWorkloads.ClusterOptions(executorMemoryMb(), String.join(" ", executorJvmOptions)));
    }

    /** {@code --executor-memory}, else half of {@code --heap} (at least 64 MiB). */
    int executorMemoryMb() {
        if (executorMemoryMb != null) {
            return executorMemoryMb;
        }
        String h = heap.strip().toLowerCase(java.util.Locale.ROOT);
        long mib;
        try {
            long n = Long.parseLong(h.replaceAll("[kmgt]$", ""));
            mib = switch (h.charAt(h.length() - 1)) {
                case 'k' -> n >> 10;
                case 'm' -> n;
                case 'g' -> n << 10;
                case 't' -> n << 20;
                default -> n >> 20;
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--heap must be a JVM heap size such as 6g or "
                    + "4096m (got '" + heap + "'); or give --executor-memory in MiB");
        }
        return (int) Math.max(64, mib / 2);
    }

    /** Runs the whole benchmark (or, with the internal {@code --child}, one engine's workload); returns the exit status. */
    @Override
    public Integer call() throws Exception {
        if (child != null) {
            String[] parts = child.split(":", 3);
            PlainWorkloads.runChild(parts[0], parts[1], settings(), text, Path.of(parts[2]));
            return 0;
        }
        for (String w : workloads) {
            if (!PlainWorkloads.WORKLOADS.contains(w)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Unknown workload '" + w
                        + "'; expected some of " + PlainWorkloads.WORKLOADS);
            }
        }
        List<String> run = new ArrayList<>();
        for (String e : engines) {
            if (e.equals("spark") && !sparkInBuild()) {
                System.out.println("note: spark skipped: this build has no Spark (run with 'benchmarks/run.sh --spark')");
            } else if (!PlainWorkloads.ENGINES.contains(e)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Unknown engine '" + e
                        + "'; expected some of " + PlainWorkloads.ENGINES);
            } else {
                run.add(e);
            }
        }
        System.out.println("# plain user code on " + BenchmarkRunner.environment());
        Path dir = data != null ? data : Path.of(System.getProperty("java.io.tmpdir"), "kindling-bench");
        Path textFile = null;
        if (workloads.contains("wordcount")) {
            System.out.println("generating " + mb + " MB of Zipf text in " + dir + " (reused between runs)...");
            textFile = ZipfText.generate(dir, mb << 20, 100_000, seed);
        }
        // Round by round, every engine's JVMs in turn, so load changes on the machine hit all alike.
        Map<String, List<Properties>> perChild = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println("round " + round + " of " + rounds + ":");
            for (String engine : run) {
                for (String workload : workloads) {
                    if (engine.equals("kindling-tuned") && !workload.equals("wordcount")) {
                        continue; // the tuned example differs from the plain program in the word count only
                    }
                    perChild.computeIfAbsent(engine + ":" + workload, k -> new ArrayList<>())
                            .add(runChild(engine, workload, textFile));
                }
            }
        }
        Map<String, Map<String, Properties>> results = PlainReport.byEngine(run);
        perChild.forEach((key, list) -> {
            String[] ew = key.split(":", 2);
            results.get(ew[0]).put(ew[1], PlainReport.combineRounds(list));
        });
        PlainReport report = new PlainReport(results, mb + " MB",
                (points >= 1_000_000 && points % 1_000_000 == 0 ? points / 1_000_000 + "M" : String.valueOf(points))
                        + " x " + dims);
        System.out.println();
        System.out.println("load average at the end: " + BenchmarkRunner.loadAverage());
        System.out.println(report.table());
        report.notes().forEach(n -> System.out.println("note: " + n));
        List<Path> files = report.write(out, "plain user code (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + threads + " threads, Java " + System.getProperty("java.version") + ")");
        System.out.println("Wrote " + files);
        return 0;
    }

    private static boolean sparkInBuild() {
        try {
            Class.forName("dev.kindling.benchmarks.spark.PlainSpark");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Runs one workload of one engine in a new JVM and returns its results; the JVM is stopped on any failure. */
    private Properties runChild(String engine, String workload, Path textFile) throws IOException, InterruptedException {
        Path result = Files.createTempFile("kindling-plain-" + engine + "-" + workload, ".properties");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Keep --add-opens and -D settings (Spark needs them); memory and profiling are per child.
            if (arg.startsWith("--add-opens") || arg.startsWith("-D")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PlainBenchmark.class.getName(),
                "--child", engine + ":" + workload + ":" + result, "--threads", String.valueOf(threads),
                "--runs", String.valueOf(runs), "--warmup", String.valueOf(warmup), "--points", String.valueOf(points),
                "--dims", String.valueOf(dims), "--iterations", String.valueOf(iterations),
                "--gd-warmup", String.valueOf(gdWarmup), "--tiny-runs", String.valueOf(tinyRuns),
                "--tiny-warmup", String.valueOf(tinyWarmup),
                "--seed", String.valueOf(seed), "--executor-memory", String.valueOf(executorMemoryMb())));
        for (String option : executorJvmOptions) {
            cmd.add("--executor-jvm-option=" + option);
        }
        if (textFile != null) {
            cmd.addAll(List.of("--text", textFile.toString()));
        }
        System.out.println("running " + engine + " / " + workload + " in its own JVM (-Xmx" + heap + ")"
                + (engine.equals("kindling-cluster") ? " with " + threads + " executor JVMs (-Xmx" + executorMemoryMb() + "m)" : "")
                + ", load average " + BenchmarkRunner.loadAverage());
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try {
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("The " + engine + " JVM running '" + workload + "' exited with status "
                        + exit + " (its output is above); command: " + String.join(" ", cmd));
            }
            Properties props = new Properties();
            try (var r = Files.newBufferedReader(result)) {
                props.load(r);
            }
            return props;
        } finally {
            p.destroyForcibly();
            p.waitFor();
            Files.deleteIfExists(result);
        }
    }
}
