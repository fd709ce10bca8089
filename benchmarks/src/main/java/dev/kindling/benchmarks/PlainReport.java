package dev.kindling.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@link PlainBenchmark}'s report: turns the results of the child JVMs (engine, then workload, then
 * the child's properties; see {@link PlainWorkloads}) into rows, checks that the engines computed
 * the same answers, sets each goal of issues 14 and 12 beside its measured ratio, and writes a Markdown table,
 * {@code plain.csv}, {@code plain-goals.csv} and the chart {@code plain.svg}.
 */
final class PlainReport {

    /**
     * One goal of the issue with its measurement.
     *
     * @param label      a short name for the chart, e.g. "plain word count"
     * @param goal       what is compared, in words
     * @param limit      the goal, e.g. "<= 1.3x"
     * @param limitValue the goal's number, e.g. 1.3
     * @param atMost     whether the measurement must be at most (true) or at least (false) the limit
     * @param wall       the ratio (or absolute value) from wall-clock medians; NaN when an engine is missing
     * @param cpu        the same from CPU time, NaN where it does not apply
     */
    record Goal(String label, String goal, String limit, double limitValue, boolean atMost, double wall, double cpu) {

        /** Whether the wall-clock measurement meets the goal. */
        boolean wallMet() {
            return atMost ? wall <= limitValue : wall >= limitValue;
        }

        /** Whether the CPU-time ratio meets the goal. */
        boolean cpuMet() {
            return atMost ? cpu <= limitValue : cpu >= limitValue;
        }

        /** The wall-clock measurement as a fraction of the goal: at most 1 when the goal is met. */
        double ofGoal() {
            return atMost ? wall / limitValue : limitValue / wall;
        }

        /** "yes", "no" or "n/a" for the wall-clock ratio, with the CPU verdict beside it where there is one. */
        String verdict() {
            if (Double.isNaN(wall)) {
                return "n/a (engine not run)";
            }
            String v = wallMet() ? "yes" : "no";
            return Double.isNaN(cpu) ? v : v + " (CPU: " + (cpuMet() ? "yes" : "no") + ")";
        }
    }

    private final Map<String, Map<String, Properties>> results;
    private final String size;
    private final String points;
    private final List<BenchmarkRunner.Row> rows = new ArrayList<>();
    private final List<Goal> goals = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * Builds the report.
     *
     * @param results engine name, then workload, then that child's results
     * @param size    the word-count input, e.g. "50 MB"
     * @param points  the gradient-descent data, e.g. "1M x 10"
     * @throws AssertionError when two engines computed different answers
     */
    PlainReport(Map<String, Map<String, Properties>> results, String size, String points) {
        this.results = results;
        this.size = size;
        this.points = points;
        checkAnswers();
        buildRows();
        buildGoals();
    }

    List<BenchmarkRunner.Row> rows() {
        return rows;
    }

    List<Goal> goals() {
        return goals;
    }

    List<String> notes() {
        return notes;
    }

    private void checkAnswers() {
        String refEngine = null;
        String top = null;
        for (Map.Entry<String, Map<String, Properties>> e : results.entrySet()) {
            Properties wc = e.getValue().get("wordcount");
            if (wc == null) {
                continue;
            }
            String t = wc.getProperty("wordcount.top3");
            if (top == null) {
                top = t;
                refEngine = e.getKey();
            } else if (!top.equals(t)) {
                throw new AssertionError("Word count top 3 differ: " + refEngine + " gave [" + top + "], "
                        + e.getKey() + " gave [" + t + "]");
            }
        }
        if (top != null) {
            notes.add("word count top 3 [" + top + "] is the same on every engine");
        }
        for (String key : List.of("gd-arrays", "gd-records")) {
            double[] ref = null;
            for (Map.Entry<String, Map<String, Properties>> e : results.entrySet()) {
                Properties gd = e.getValue().get("gd");
                if (gd == null || gd.getProperty(key + ".weights") == null) {
                    continue;
                }
                double[] w = Arrays.stream(gd.getProperty(key + ".weights").split(","))
                        .mapToDouble(Double::parseDouble).toArray();
                if (ref == null) {
                    ref = w;
                    refEngine = e.getKey();
                    continue;
                }
                double scale = Arrays.stream(ref).map(Math::abs).max().orElse(1);
                for (int j = 0; j < w.length; j++) {
                    if (Math.abs(ref[j] - w[j]) > 1e-9 * scale) {
                        throw new AssertionError(key + ": " + e.getKey() + "'s weights " + Arrays.toString(w)
                                + " differ from " + refEngine + "'s " + Arrays.toString(ref) + " by more than 1e-9");
                    }
                }
            }
            if (ref != null) {
                notes.add(key + ": final weights agree to 1e-9 (relative) on every engine");
            }
        }
    }

    private void buildRows() {
        String wcName = "plain word count, take(3)";
        for (String engine : results.keySet()) {
            Properties p = props(engine, "wordcount");
            if (p != null) {
                add(wcName + ": median", size, engine, nanos(p, "wordcount.wall") / 1e9, "s", "kindling <= 1.3x hand-written");
            }
        }
        addPerEngine("wordcount", "wordcount.cpu", wcName + ": CPU time per run", size, 1e9, "s");
        // Load-independent: what the engine allocates per word shows through the host's noise.
        addPerEngine("wordcount", "wordcount.alloc", wcName + ": heap allocated per run", size, 1 << 20, "MB");
        for (String key : List.of("gd-arrays", "gd-records")) {
            String name = "GD iteration, treeAggregate, " + (key.equals("gd-arrays") ? "RDD<double[]>" : "RDD<PlainPoint>");
            for (String engine : results.keySet()) {
                Properties p = props(engine, "gd");
                if (p != null) {
                    add(name + ": median", points, engine, nanos(p, key + ".wall") / 1e6, "ms",
                            "kindling <= 1.1x hand-written");
                }
            }
            for (String engine : results.keySet()) {
                Properties p = props(engine, "gd");
                if (p != null) {
                    add(name + ": CPU time per iteration", points, engine, nanos(p, key + ".cpu") / 1e6, "ms", "");
                }
            }
        }
        for (String engine : results.keySet()) {
            Properties p = props(engine, "tiny");
            if (p != null) {
                add("tiny job: count() of 1,000 ints, 2 partitions: median", "1k ints", engine,
                        nanos(p, "tiny.wall") / 1e6, "ms", "kindling <= 0.2 ms");
            }
        }
        addPerEngine("tiny", "tiny.cpu", "tiny job: CPU time per job", "1k ints", 1e6, "ms");
        for (String workload : PlainWorkloads.WORKLOADS) {
            for (String engine : results.keySet()) {
                Properties p = props(engine, workload);
                if (p != null) {
                    add("peak RSS of the " + workload + " JVM (VmHWM)", "", engine,
                            Long.parseLong(p.getProperty("rss.kb")) / 1024.0, "MB",
                            workload.equals("wordcount") ? "kindling <= 1.2x hand-written" : "");
                }
            }
        }
    }

    /** A row per engine whose {@code workload} results have {@code key}: its value divided by {@code scale}. */
    private void addPerEngine(String workload, String key, String name, String sizeLabel, double scale, String unit) {
        for (String engine : results.keySet()) {
            Properties p = props(engine, workload);
            if (p != null && p.getProperty(key) != null) {
                add(name, sizeLabel, engine, nanos(p, key) / scale, unit, "");
            }
        }
    }

    private void buildGoals() {
        ratio("plain word count", "plain word count: kindling / hand-written", "<= 1.3x", "kindling", "hand-written",
                "wordcount", "wordcount", 1.3, true);
        ratio("tuned word count", "tuned word count (WordCount example): kindling-tuned / hand-written", "<= 1.1x",
                "kindling-tuned", "hand-written", "wordcount", "wordcount", 1.1, true);
        ratio("word count vs Spark", "plain word count: spark / kindling", ">= 3x", "spark", "kindling", "wordcount",
                "wordcount", 3, false);
        ratio("GD over RDD<double[]>", "GD iteration over RDD<double[]>: kindling / hand-written", "<= 1.1x", "kindling",
                "hand-written", "gd", "gd-arrays", 1.1, true);
        ratio("GD over RDD<PlainPoint>", "GD iteration over RDD<PlainPoint>: kindling / hand-written", "<= 1.1x",
                "kindling", "hand-written", "gd", "gd-records", 1.1, true);
        Properties tiny = props("kindling", "tiny");
        double t = tiny == null ? Double.NaN : nanos(tiny, "tiny.wall") / 1e6;
        goals.add(new Goal("tiny job", "tiny job median (ms): kindling", "<= 0.2 ms", 0.2, true, t, Double.NaN));
        Properties k = props("kindling", "wordcount");
        Properties h = props("hand-written", "wordcount");
        double rss = k == null || h == null ? Double.NaN
                : Double.parseDouble(k.getProperty("rss.kb")) / Double.parseDouble(h.getProperty("rss.kb"));
        goals.add(new Goal("word count peak RSS", "peak RSS of the word count: kindling / hand-written", "<= 1.2x", 1.2,
                true, rss, Double.NaN));
        // Issue 12: executor processes (local-cluster[threads,1,M]) against the same programs in local[threads].
        ratio("cluster word count", "issue 12: word count: kindling-cluster / kindling (local)", "<= 1.4x",
                "kindling-cluster", "kindling", "wordcount", "wordcount", 1.4, true);
        ratio("cluster GD over RDD<double[]>", "issue 12: GD iteration over RDD<double[]>: kindling-cluster / kindling (local)",
                "<= 1.3x", "kindling-cluster", "kindling", "gd", "gd-arrays", 1.3, true);
        ratio("cluster GD over RDD<PlainPoint>", "issue 12: GD iteration over RDD<PlainPoint>: kindling-cluster / kindling "
                + "(local)", "<= 1.3x", "kindling-cluster", "kindling", "gd", "gd-records", 1.3, true);
        Properties clusterTiny = props("kindling-cluster", "tiny");
        goals.add(new Goal("cluster tiny job", "issue 12: tiny job median (ms): kindling-cluster", "< 2 ms", 2, true,
                clusterTiny == null ? Double.NaN : nanos(clusterTiny, "tiny.wall") / 1e6, Double.NaN));
    }

    private void ratio(String label, String goal, String limitText, String top, String bottom, String workload,
                       String key, double limit, boolean atMost) {
        Properties a = props(top, workload);
        Properties b = props(bottom, workload);
        double wall = Double.NaN;
        double cpu = Double.NaN;
        if (a != null && b != null) {
            wall = nanos(a, key + ".wall") / nanos(b, key + ".wall");
            cpu = nanos(a, key + ".cpu") / nanos(b, key + ".cpu");
        }
        goals.add(new Goal(label, goal, limitText, limit, atMost, wall, cpu));
    }

    private Properties props(String engine, String workload) {
        Map<String, Properties> byWorkload = results.get(engine);
        return byWorkload == null ? null : byWorkload.get(workload);
    }

    private static double nanos(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("A child's results lack '" + key + "' (has " + p.stringPropertyNames() + ")");
        }
        return Double.parseDouble(v);
    }

    private void add(String benchmark, String sizeLabel, String engine, double value, String unit, String target) {
        rows.add(new BenchmarkRunner.Row(benchmark, sizeLabel, engine, value, unit, target));
    }

    /** The measurements and then the goals, as Markdown tables. */
    String table() {
        StringBuilder sb = new StringBuilder("| benchmark | size | engine | value |\n|---|---|---|---:|\n");
        for (BenchmarkRunner.Row r : rows) {
            sb.append("| ").append(r.benchmark()).append(" | ").append(r.size()).append(" | ").append(r.engine())
                    .append(" | ").append(BenchmarkRunner.format(r.value())).append(' ').append(r.unit()).append(" |\n");
        }
        sb.append("\n| goal (issue 14, unless it says issue 12) | limit | measured (wall) | measured (CPU) | met |\n|---|---|---:|---:|---|\n");
        for (Goal g : goals) {
            sb.append("| ").append(g.goal()).append(" | ").append(g.limit()).append(" | ").append(fmt(g.wall()))
                    .append(" | ").append(fmt(g.cpu())).append(" | ").append(g.verdict()).append(" |\n");
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "—" : BenchmarkRunner.format(v);
    }

    /** Writes {@code plain.csv}, {@code plain-goals.csv} and {@code plain.svg} into {@code dir}; returns the three paths. */
    List<Path> write(Path dir, String title) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("benchmark,size,engine,value,unit,target\n");
        for (BenchmarkRunner.Row r : rows) {
            csv.append(String.join(",", csv(r.benchmark()), csv(r.size()), csv(r.engine()),
                    String.format(Locale.ROOT, "%.6f", r.value()), csv(r.unit()), csv(r.target()))).append('\n');
        }
        StringBuilder goalCsv = new StringBuilder("goal,limit,ratio_wall,ratio_cpu,met\n");
        List<BenchmarkRunner.Row> chart = new ArrayList<>(rows);
        for (Goal g : goals) {
            goalCsv.append(String.join(",", csv(g.goal()), csv(g.limit()), String.format(Locale.ROOT, "%.6f", g.wall()),
                    String.format(Locale.ROOT, "%.6f", g.cpu()), csv(g.verdict()))).append('\n');
            if (!Double.isNaN(g.wall())) {
                // One group, so the bars compare: 1 is the goal, shorter is better.
                chart.add(new BenchmarkRunner.Row("goals of issues 14 and 12: measured / goal, met when <= 1", "wall clock",
                        g.label() + " " + g.limit() + ": " + g.verdict(), g.ofGoal(), "of goal", g.limit()));
            }
        }
        Path csvFile = dir.resolve("plain.csv");
        Path goalFile = dir.resolve("plain-goals.csv");
        Path svgFile = dir.resolve("plain.svg");
        Files.writeString(csvFile, csv);
        Files.writeString(goalFile, goalCsv);
        Files.writeString(svgFile, SvgChart.render(title, chart));
        return List.of(csvFile, goalFile, svgFile);
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /**
     * Combines one engine-and-workload's results from several rounds (separate JVMs started in turn
     * with the other engines', so a change of load on the machine hits all engines alike): times and
     * allocation ({@code .wall}, {@code .cpu}, {@code .load}, {@code .alloc}) become the median over the
     * rounds, {@code rss.*} the largest, {@code load} the last; every other key (the answers) must be the
     * same in every round.
     *
     * @throws AssertionError naming the key when two rounds computed different answers
     */
    static Properties combineRounds(List<Properties> rounds) {
        Properties out = new Properties();
        for (String key : rounds.get(0).stringPropertyNames()) {
            List<String> values = rounds.stream().map(r -> r.getProperty(key)).toList();
            if (key.endsWith(".wall") || key.endsWith(".cpu") || key.endsWith(".load") || key.endsWith(".alloc")) {
                double[] v = values.stream().mapToDouble(Double::parseDouble).sorted().toArray();
                int n = v.length;
                out.setProperty(key, String.valueOf(n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2));
            } else if (key.startsWith("rss.")) {
                out.setProperty(key, String.valueOf(values.stream().mapToLong(Long::parseLong).max().orElse(-1)));
            } else if (key.equals("load")) {
                out.setProperty(key, values.get(values.size() - 1));
            } else if (values.stream().distinct().count() != 1) {
                throw new AssertionError("Rounds disagree on " + key + ": " + values);
            } else {
                out.setProperty(key, values.get(0));
            }
        }
        return out;
    }

    /** Groups flat child results by engine (kept in the given order). */
    static Map<String, Map<String, Properties>> byEngine(List<String> engines) {
        Map<String, Map<String, Properties>> m = new LinkedHashMap<>();
        engines.forEach(e -> m.put(e, new LinkedHashMap<>()));
        return m;
    }
}
