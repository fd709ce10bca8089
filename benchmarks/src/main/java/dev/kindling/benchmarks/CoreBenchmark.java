package dev.kindling.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Core engine costs, Kindling side by side with hand-written Java (and Spark with {@code -Pspark}):
 * <ol>
 *   <li>tiny-job latency: {@code count()} of 1,000 integers in 2 partitions, median of many runs
 *       (target: at most 0.2 ms);</li>
 *   <li>word count of generated Zipf-distributed text (default 200 MB; target: at most 1.2x the
 *       hand-written ForkJoinPool version).</li>
 * </ol>
 * <pre>
 * benchmarks/run.sh CoreBenchmark [--threads 2] [--mb 200] [--tiny-runs 5000] [--runs 3] [--warmup 1] [--data DIR] [--out DIR]
 * </pre>
 */
@Command(name = "CoreBenchmark", sortOptions = false, showDefaultValues = true,
        description = {"Core engine costs side by side with hand-written Java (and Spark with -Pspark):",
                "tiny-job latency (count() of 1,000 ints) and word count of generated Zipf text."})
public final class CoreBenchmark extends BenchmarkRunner {

    @Option(names = "--threads", paramLabel = "<n>", description = "Executor threads of every engine.")
    int threads = 2;

    @Option(names = "--mb", paramLabel = "<mb>", description = "Megabytes of Zipf text to count words in.")
    long mb = 200;

    @Option(names = "--tiny-runs", paramLabel = "<n>", description = "Measured tiny jobs per engine (plus a fifth as warm-up).")
    int tinyRuns = 5000;

    @Option(names = "--runs", paramLabel = "<n>", description = "Measured word counts per engine.")
    int runs = 3;

    @Option(names = "--warmup", paramLabel = "<n>", description = "Unmeasured word counts per engine first.")
    int warmup = 1;

    @Option(names = "--data", paramLabel = "<dir>", description = "Where the generated text is kept (reused between runs).")
    Path data = Path.of(System.getProperty("java.io.tmpdir"), "kindling-bench");

    /** Runs the benchmark; {@code --help} lists the options and their defaults. */
    public static void main(String[] args) throws Exception {
        main(new CoreBenchmark(), args);
    }

    @Override
    protected String name() {
        return "core";
    }

    @Override
    protected void run() throws Exception {
        List<CoreContender> contenders = new ArrayList<>();
        contenders.add(new KindlingContenders.Core(threads));
        contenders.add(new HandWrittenContenders.Core(threads));
        CoreContender spark = optional("dev.kindling.benchmarks.spark.SparkCore", CoreContender.class, threads);
        if (spark != null) {
            contenders.add(spark);
        }
        try {
            List<Runnable> tinyJobs = new ArrayList<>();
            for (CoreContender c : contenders) {
                c.prepareTinyJob();
                tinyJobs.add(() -> {
                    if (c.runTinyJob() != 1000) {
                        throw new AssertionError(c.name() + " counted wrong");
                    }
                });
            }
            double[] tiny = interleavedMedians(tinyRuns / 5, tinyRuns, 100, tinyJobs).wallNanos();
            for (int i = 0; i < contenders.size(); i++) {
                record("tiny job: count() of 1,000 ints, 2 partitions", "1k ints", contenders.get(i).name(),
                        tiny[i] / 1e6, "ms", "kindling <= 0.2 ms");
            }
            System.out.println("  generating " + mb + " MB of Zipf text in " + data + " (reused between runs)...");
            Path text = ZipfText.generate(data, mb << 20, 100_000, 1);
            List<Map<String, Long>> results = new ArrayList<>();
            List<Runnable> wordCounts = new ArrayList<>();
            for (CoreContender c : contenders) {
                results.add(null);
                int index = results.size() - 1;
                wordCounts.add(() -> results.set(index, c.wordCount(text)));
            }
            Medians wc = interleavedMedians(warmup, runs, 1, wordCounts);
            Map<String, Long> reference = results.get(0);
            for (int i = 0; i < contenders.size(); i++) {
                if (!reference.equals(results.get(i))) {
                    throw new AssertionError(contenders.get(i).name() + "'s word counts differ from kindling's");
                }
                record("word count, Zipf text, " + threads + " threads", mb + " MB", contenders.get(i).name(),
                        wc.wallNanos()[i] / 1e9, "s", "kindling <= 1.2x hand-written");
            }
            for (int i = 0; i < contenders.size(); i++) {
                record("word count: CPU time (mean, all threads)", mb + " MB", contenders.get(i).name(),
                        wc.cpuNanos()[i] / 1e9, "s", "");
            }
            note("word counts agree between all engines (" + reference.size() + " distinct words)");
        } finally {
            contenders.forEach(CoreContender::close);
        }
    }
}
