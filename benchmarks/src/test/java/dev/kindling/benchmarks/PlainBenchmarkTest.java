package dev.kindling.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.examples.LabeledPoint;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/** The pieces of {@link PlainBenchmark} that decide whether its numbers mean anything (no timing here). */
class PlainBenchmarkTest {

    /** kindling-cluster's executors in these tests: small heaps, no extra options. */
    private static final PlainWorkloads.ClusterOptions CLUSTER = new PlainWorkloads.ClusterOptions(256, "");

    @Test
    void theGeneratedTextIsTheSameForTheSameSeedAndDiffersForAnother(@TempDir Path dir) throws Exception {
        Path a = ZipfText.generate(dir.resolve("a"), 200_000, 1000, 7);
        Path b = ZipfText.generate(dir.resolve("b"), 200_000, 1000, 7);
        Path c = ZipfText.generate(dir.resolve("c"), 200_000, 1000, 8);

        assertEquals(-1, Files.mismatch(a, b), "same seed, same bytes");
        assertNotEquals(-1, Files.mismatch(a, c), "another seed, other text");
    }

    @Test
    void everyWordCountGivesTheTop3OfAPlainStreamCount(@TempDir Path dir) throws Exception {
        Path text = ZipfText.generate(dir, 300_000, 1000, 3);
        List<Map.Entry<String, Long>> ranked = Files.readAllLines(text).stream()
                .flatMap(l -> Arrays.stream(l.split(" ")))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        assertTrue(ranked.get(0).getValue() > ranked.get(1).getValue()
                && ranked.get(1).getValue() > ranked.get(2).getValue()
                && ranked.get(2).getValue() > ranked.get(3).getValue(), "the top 4 counts must differ: " + ranked);
        List<String> expected = ranked.subList(0, 3).stream().map(e -> e.getValue() + " " + e.getKey()).toList();

        for (String name : List.of("kindling", "kindling-tuned", "kindling-cluster", "hand-written")) {
            try (PlainEngine engine = PlainWorkloads.engine(name, 2, CLUSTER)) {
                assertEquals(expected, engine.wordCountTop3(text), name);
            }
        }
    }

    @Test
    void everyGradientPassAgreesWithASequentialLoopTo1e9() {
        long n = 3000;
        int dims = 3;
        double[] w = {0.1, -0.2, 0.3, 0.05};
        double[] expected = new double[w.length + 2];
        for (long i = 0; i < n; i++) {
            LabeledPoint p = LabeledPoint.synthetic(9, i, dims, true);
            double m = 0;
            for (int j = 0; j < w.length; j++) {
                m += w[j] * p.features()[j];
            }
            double prob = 1 / (1 + Math.exp(-m));
            for (int j = 0; j < w.length; j++) {
                expected[j] += (prob - p.label()) * p.features()[j];
            }
            expected[w.length] += Math.log1p(Math.exp(m)) - p.label() * m;
            expected[w.length + 1]++;
        }
        for (String name : List.of("kindling", "kindling-cluster", "hand-written")) {
            try (PlainEngine engine = PlainWorkloads.engine(name, 2, CLUSTER)) {
                for (boolean records : new boolean[] {false, true}) {
                    engine.loadPoints(n, dims, 9, records);
                    engine.compactPoints(); // the cluster engine's runs a job on each executor JVM; throws if one is missed
                    double[] actual = engine.gradientSums(w);
                    engine.unloadPoints();
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], actual[j], 1e-9 * Math.max(1, Math.abs(expected[j])),
                                name + (records ? " records" : " arrays") + ", sum " + j);
                    }
                }
            }
        }
    }

    @Test
    void everyEngineCountsTheTinyJob() {
        for (String name : List.of("kindling", "hand-written")) {
            try (PlainEngine engine = PlainWorkloads.engine(name, 2, CLUSTER)) {
                engine.prepareTinyJob();
                assertEquals(1000, engine.runTinyJob(), name);
            }
        }
    }

    @Test
    void theClusterEngineRunsOnTwoExecutorProcessesWhoseCpuAndMemoryAreCounted() {
        assertEquals(0, ChildProcesses.ofThisJvm().count(), "no child process before the engine starts");
        try (PlainEngine engine = PlainWorkloads.engine("kindling-cluster", 2, CLUSTER)) {
            ChildProcesses executors = ChildProcesses.ofThisJvm();
            assertEquals(2, executors.count(), "local-cluster[2,1,256] starts two executor JVMs");
            engine.prepareTinyJob();
            assertEquals(1000, engine.runTinyJob());
            // A JVM that started, registered and ran a task used CPU and holds more than 10 MB.
            assertTrue(executors.cpuNanos() > 0, "the executors' CPU time is counted");
            assertTrue(executors.peakRssKb() > 2 * 10_000, "the executors' peak RSS is counted: " + executors.peakRssKb());
        }
        assertEquals(0, ChildProcesses.ofThisJvm().count(), "close() stops the executors");
    }

    @Test
    void anUnknownEngineIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlainWorkloads.engine("flink", 2, CLUSTER));
        assertTrue(e.getMessage().contains("'flink'") && e.getMessage().contains("hand-written"), e.getMessage());
    }

    private static Properties child(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static Map<String, Map<String, Properties>> results(String handTop) {
        Map<String, Map<String, Properties>> r = new LinkedHashMap<>();
        r.put("kindling", new LinkedHashMap<>(Map.of(
                "wordcount", child("wordcount.wall", "12e9", "wordcount.cpu", "20e9", "wordcount.top3", "9 a,5 b,2 c",
                        "rss.kb", "3000000"),
                "gd", child("gd-arrays.wall", "50e6", "gd-arrays.cpu", "90e6", "gd-arrays.weights", "0.5,-1.25",
                        "gd-records.wall", "40e6", "gd-records.cpu", "80e6", "gd-records.weights", "0.25,1",
                        "rss.kb", "900000"),
                "tiny", child("tiny.wall", "150000", "tiny.cpu", "300000", "rss.kb", "100000"))));
        r.put("hand-written", new LinkedHashMap<>(Map.of(
                "wordcount", child("wordcount.wall", "4e9", "wordcount.cpu", "16e9", "wordcount.top3", handTop,
                        "rss.kb", "2000000"),
                "gd", child("gd-arrays.wall", "50e6", "gd-arrays.cpu", "100e6", "gd-arrays.weights", "0.5,-1.25",
                        "gd-records.wall", "40e6", "gd-records.cpu", "40e6", "gd-records.weights", "0.25,1.0000000000001",
                        "rss.kb", "800000"))));
        return r;
    }

    @Test
    void theGoalsAreTheRatiosOfTheMediansWithTheirVerdicts() {
        PlainReport report = new PlainReport(results("9 a,5 b,2 c"), "1 MB", "2k x 1");
        Map<String, PlainReport.Goal> goals = report.goals().stream()
                .collect(Collectors.toMap(PlainReport.Goal::goal, g -> g));

        PlainReport.Goal wc = goals.get("plain word count: kindling / hand-written");
        assertEquals(3.0, wc.wall(), 1e-12);
        assertEquals(1.25, wc.cpu(), 1e-12);
        assertEquals("no (CPU: yes)", wc.verdict());
        assertEquals(3.0 / 1.3, wc.ofGoal(), 1e-12);
        PlainReport.Goal gd = goals.get("GD iteration over RDD<double[]>: kindling / hand-written");
        assertEquals("yes (CPU: yes)", gd.verdict());
        assertEquals("yes (CPU: no)", goals.get("GD iteration over RDD<PlainPoint>: kindling / hand-written").verdict());
        assertEquals(0.15, goals.get("tiny job median (ms): kindling").wall(), 1e-12);
        assertEquals("yes", goals.get("tiny job median (ms): kindling").verdict());
        PlainReport.Goal rss = goals.get("peak RSS of the word count: kindling / hand-written");
        assertEquals(1.5, rss.wall(), 1e-12);
        assertEquals("no", rss.verdict());
        assertEquals("n/a (engine not run)", goals.get("plain word count: spark / kindling").verdict());
        assertEquals("n/a (engine not run)", goals.get("issue 12: word count: kindling-cluster / kindling (local)").verdict());
        assertEquals(11, goals.size());
        PlainReport.Goal atLeast = new PlainReport.Goal("vs spark", "spark / kindling", ">= 3x", 3, false, 6, 2.5);
        assertEquals("yes (CPU: no)", atLeast.verdict());
        assertEquals(0.5, atLeast.ofGoal(), 1e-12);
    }

    @Test
    void theClusterGoalsAreRatiosToKindlingInLocalModeAndTheTinyJobInMilliseconds() {
        Map<String, Map<String, Properties>> r = results("9 a,5 b,2 c");
        r.put("kindling-cluster", new LinkedHashMap<>(Map.of(
                "wordcount", child("wordcount.wall", "18e9", "wordcount.cpu", "22e9", "wordcount.top3", "9 a,5 b,2 c",
                        "rss.kb", "3500000"),
                "gd", child("gd-arrays.wall", "70e6", "gd-arrays.cpu", "99e6", "gd-arrays.weights", "0.5,-1.25",
                        "gd-records.wall", "48e6", "gd-records.cpu", "120e6", "gd-records.weights", "0.25,1",
                        "rss.kb", "900000"),
                "tiny", child("tiny.wall", "2500000", "tiny.cpu", "3000000", "rss.kb", "300000"))));
        Map<String, PlainReport.Goal> goals = new PlainReport(r, "1 MB", "2k x 1").goals().stream()
                .collect(Collectors.toMap(PlainReport.Goal::goal, g -> g));

        PlainReport.Goal wc = goals.get("issue 12: word count: kindling-cluster / kindling (local)");
        assertEquals(1.5, wc.wall(), 1e-12);
        assertEquals(1.1, wc.cpu(), 1e-12);
        assertEquals("no (CPU: yes)", wc.verdict());
        PlainReport.Goal arrays = goals.get("issue 12: GD iteration over RDD<double[]>: kindling-cluster / kindling (local)");
        assertEquals(1.4, arrays.wall(), 1e-12);
        assertEquals("no (CPU: yes)", arrays.verdict());
        PlainReport.Goal records = goals.get("issue 12: GD iteration over RDD<PlainPoint>: kindling-cluster / kindling (local)");
        assertEquals(1.2, records.wall(), 1e-12);
        assertEquals("yes (CPU: no)", records.verdict());
        PlainReport.Goal tiny = goals.get("issue 12: tiny job median (ms): kindling-cluster");
        assertEquals(2.5, tiny.wall(), 1e-12);
        assertEquals("no", tiny.verdict());
    }

    @Test
    void enginesThatDisagreeFailTheReport() {
        AssertionError e = assertThrows(AssertionError.class, () -> new PlainReport(results("9 a,5 b,3 c"), "1 MB", "2k"));
        assertTrue(e.getMessage().contains("hand-written gave [9 a,5 b,3 c]"), e.getMessage());
        Map<String, Map<String, Properties>> r = results("9 a,5 b,2 c");
        r.get("hand-written").get("gd").setProperty("gd-arrays.weights", "0.5,-1.2500001");
        AssertionError w = assertThrows(AssertionError.class, () -> new PlainReport(r, "1 MB", "2k"));
        assertTrue(w.getMessage().startsWith("gd-arrays: hand-written's weights"), w.getMessage());
    }

    @Test
    void roundsCombineIntoMedianTimesTheLargestRssAndOneAnswer() {
        Properties combined = PlainReport.combineRounds(List.of(
                child("wordcount.wall", "5e9", "wordcount.cpu", "9", "rss.kb", "100", "wordcount.top3", "3 a", "load", "1",
                        "wordcount.alloc", "40"),
                child("wordcount.wall", "1e9", "wordcount.cpu", "7", "rss.kb", "300", "wordcount.top3", "3 a", "load", "2",
                        "wordcount.alloc", "60"),
                child("wordcount.wall", "2e9", "wordcount.cpu", "8", "rss.kb", "200", "wordcount.top3", "3 a", "load", "3",
                        "wordcount.alloc", "50")));

        assertEquals(2e9, Double.parseDouble(combined.getProperty("wordcount.wall")));
        assertEquals(8, Double.parseDouble(combined.getProperty("wordcount.cpu")));
        assertEquals(50, Double.parseDouble(combined.getProperty("wordcount.alloc")));
        assertEquals("300", combined.getProperty("rss.kb"));
        assertEquals("3 a", combined.getProperty("wordcount.top3"));
        AssertionError e = assertThrows(AssertionError.class, () -> PlainReport.combineRounds(List.of(
                child("gd-arrays.weights", "1,2"), child("gd-arrays.weights", "1,3"))));
        assertTrue(e.getMessage().contains("gd-arrays.weights"), e.getMessage());
    }

    @Test
    void theCsvFilesHaveOneRecordPerRowAndTheSvgIsWellFormed(@TempDir Path dir) throws Exception {
        PlainReport report = new PlainReport(results("9 a,5 b,2 c"), "1 MB", "2k x 1");
        report.write(dir, "plain <test> & \"quotes\"");

        List<List<String>> rows = parseCsv(Files.readString(dir.resolve("plain.csv")));
        assertEquals(List.of("benchmark", "size", "engine", "value", "unit", "target"), rows.get(0));
        assertEquals(report.rows().size() + 1, rows.size());
        rows.forEach(r -> assertEquals(6, r.size(), r.toString()));
        assertEquals("GD iteration, treeAggregate, RDD<double[]>: median", rows.get(5).get(0));
        List<List<String>> goals = parseCsv(Files.readString(dir.resolve("plain-goals.csv")));
        assertEquals(12, goals.size());
        goals.forEach(r -> assertEquals(5, r.size(), r.toString()));
        assertEquals("no (CPU: yes)", goals.get(1).get(4));

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("plain.svg"))));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        // Background, one bar per row and one per goal that was measured (5 of 7: no Spark, no tuned run).
        assertEquals(1 + report.rows().size() + 5, svg.getElementsByTagName("rect").getLength());
    }

    /** A strict RFC 4180 reader: fails on a stray quote, so a badly quoted field cannot pass. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        f.append(c);
                    }
                } else if (c == '"') {
                    assertEquals(0, f.length(), "quote inside an unquoted field: " + line);
                    quoted = true;
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else {
                    f.append(c);
                }
            }
            assertFalse(quoted, "unterminated quote: " + line);
            fields.add(f.toString());
            out.add(fields);
        }
        return out;
    }

    @Test
    void helpListsTheOptions() {
        StringWriter text = new StringWriter();
        CommandLine cmd = new CommandLine(new PlainBenchmark());
        cmd.setOut(new PrintWriter(text));
        assertEquals(0, cmd.execute("--help"));
        assertTrue(text.toString().contains("--mb") && text.toString().contains("--engines"), text.toString());
        assertFalse(text.toString().contains("--child"), "internal options stay hidden");
    }

    @Test
    void anUnknownEngineOrWorkloadOnTheCommandLineIsAUsageErrorNamingIt() {
        for (String[] args : List.of(new String[] {"--engines", "kindling,flink"}, new String[] {"--workloads", "flink"})) {
            StringWriter err = new StringWriter();
            CommandLine cmd = new CommandLine(new PlainBenchmark());
            cmd.setErr(new PrintWriter(err));
            assertEquals(2, cmd.execute(args), String.join(" ", args));
            assertTrue(err.toString().contains("Unknown") && err.toString().contains("'flink'"), err.toString());
        }
    }

    @Test
    void aSmallRunStartsAJvmPerEngineAndWorkloadAndWritesTheReport(@TempDir Path dir) throws Exception {
        int exit = new CommandLine(new PlainBenchmark()).execute("--mb", "1", "--runs", "1", "--warmup", "0",
                "--points", "2000", "--dims", "2", "--iterations", "2", "--gd-warmup", "1", "--tiny-runs", "20", "--tiny-warmup", "4",
                "--engines", "kindling,hand-written", "--rounds", "2", "--heap", "256m", "--data", dir.toString(),
                "--out", dir.resolve("out").toString());

        assertEquals(0, exit);
        List<List<String>> rows = parseCsv(Files.readString(dir.resolve("out/plain.csv")));
        long rssRows = rows.stream().filter(r -> r.get(0).startsWith("peak RSS")).count();
        assertEquals(6, rssRows, "one peak RSS per engine and workload JVM: " + rows);
        assertTrue(rows.stream().filter(r -> r.get(0).startsWith("peak RSS"))
                .allMatch(r -> Double.parseDouble(r.get(3)) > 1), "a JVM's RSS is more than 1 MB: " + rows);
        // Each engine reads the whole 1 MB file into lines and words at least once per run.
        List<List<String>> alloc = rows.stream().filter(r -> r.get(0).endsWith("heap allocated per run")).toList();
        assertEquals(List.of("kindling", "hand-written"), alloc.stream().map(r -> r.get(2)).toList(), rows.toString());
        assertTrue(alloc.stream().allMatch(r -> Double.parseDouble(r.get(3)) > 1), "more than 1 MB allocated: " + alloc);
        assertEquals(12, parseCsv(Files.readString(dir.resolve("out/plain-goals.csv"))).size());
    }
}
