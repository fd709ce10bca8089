package dev.kindling.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
public final class CoreBenchmark extends BenchmarkRunner {

    /** Runs the benchmark; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
        new CoreBenchmark().execute(args);
        System.exit(0);
    }

    @Override
    protected String name() {
        return "core";
    }

    @Override
    protected String[] options() {
        return new String[] {"threads", "mb", "tiny-runs", "runs", "warmup", "data"};
    }

    @Override
    protected void run() throws Exception {
        int threads = args.getInt("threads", 2);
        long mb = args.getLong("mb", 200);
        int tinyRuns = args.getInt("tiny-runs", 5000);
        int runs = args.getInt("runs", 3);
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
            Path data = Path.of(args.get("data", System.getProperty("java.io.tmpdir") + "/kindling-bench"));
            System.out.println("  generating " + mb + " MB of Zipf text in " + data + " (reused between runs)...");
            Path text = ZipfText.generate(data, mb << 20, 100_000, 1);
            List<Map<String, Long>> results = new ArrayList<>();
            List<Runnable> wordCounts = new ArrayList<>();
            for (CoreContender c : contenders) {
                results.add(null);
                int index = results.size() - 1;
                wordCounts.add(() -> results.set(index, c.wordCount(text)));
            }
            Medians wc = interleavedMedians(args.getInt("warmup", 1), runs, 1, wordCounts);
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
