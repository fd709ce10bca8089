package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * The shell session in-process: what /exit leaves behind, JShell's completion on {@code kc}, and
 * values computed by snippets through the {@code kindling} execution engine.
 */
class ShellSessionTest {

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    private static List<String> kindlingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("kindling-")).collect(Collectors.toList());
    }

    @Test
    void exitClosesTheContextAndLeavesNoThreadsOrFiles() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String input = "kc.parallelize(List.of(3, 1, 2), 3).mapToPair(x -> Pair.of(x % 2, x)).groupByKey().count()\n"
                + "kc.localDir()\n"
                + "/exit\n";

        KindlingShell shell = new KindlingShell(Map.of("kindling.master", "local[2]"), List.of(), List.of())
                .withStreams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), print, print, new HashMap<>());
        int status = shell.run();

        String shown = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, shown);
        assertTrue(shown.contains("==> 2"), shown);
        Matcher dir = Pattern.compile("==> (\\S*kindling-\\S+)").matcher(shown);
        assertTrue(dir.find(), shown);
        assertFalse(Files.exists(Path.of(dir.group(1))), "scratch directory " + dir.group(1) + " should be deleted");
        assertEquals(List.of(), kindlingThreads(), "Kindling threads still alive after /exit");
        Set<Thread> leftover = nonDaemonThreads();
        leftover.removeAll(before);
        assertEquals(Set.of(), leftover, "non-daemon threads left after /exit");
        // Its own file only: other runs on this machine create and delete theirs in the same temp directory.
        assertTrue(shell.startupFile() != null && !Files.exists(shell.startupFile()),
                "the startup snippet file " + shell.startupFile() + " should be deleted");
    }

    @Test
    void completionOffersContextAndRddMethods() {
        try (JShell jshell = JShell.builder().executionEngine(new KindlingExecutionControlProvider(), Map.of()).build()) {
            for (String snippet : KindlingShell.startupSnippet().split("\n")) {
                jshell.eval(snippet);
            }
            SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
            int[] anchor = new int[1];
            String onContext = "kc.para";
            Set<String> contextMethods = analysis.completionSuggestions(onContext, onContext.length(), anchor).stream()
                    .map(SourceCodeAnalysis.Suggestion::continuation).collect(Collectors.toSet());
            assertTrue(contextMethods.containsAll(Set.of("parallelize(", "parallelizePairs(", "parallelizeDoubles(")),
                    contextMethods::toString);

            jshell.eval("var numbers = kc.parallelize(List.of(1, 2, 3));");
            String onRdd = "numbers.ma";
            Set<String> rddMethods = analysis.completionSuggestions(onRdd, onRdd.length(), anchor).stream()
                    .map(SourceCodeAnalysis.Suggestion::continuation).collect(Collectors.toSet());
            assertTrue(rddMethods.containsAll(Set.of("map(", "mapToPair(", "mapPartitions(", "max(")), rddMethods::toString);
        }
        assertEquals(List.of(), kindlingThreads(), "closing JShell closes the context");
    }

    @Test
    void snippetFunctionsRunInShufflesAndTheContextSurvivesResetAsANewOne() {
        try (JShell jshell = JShell.builder().executionEngine(new KindlingExecutionControlProvider(), Map.of()).build()) {
            for (String snippet : KindlingShell.startupSnippet().split("\n")) {
                jshell.eval(snippet);
            }
            jshell.eval("int bucket(int x) { return x % 10; }");
            String value = value(jshell, "new TreeMap<>(kc.range(0, 1000).mapToPair(x -> Pair.of(bucket(x.intValue()), 1))"
                    + ".reduceByKey(Integer::sum).collectAsMap())");
            Map<Integer, Long> expected = new java.util.TreeMap<>(java.util.stream.IntStream.range(0, 1000).boxed()
                    .collect(Collectors.groupingBy(x -> x % 10, Collectors.counting())));
            assertEquals(expected.toString(), value);
        }
    }

    @Test
    void publicApiTypesOutsideTheMainPackageAreImported() {
        try (JShell jshell = JShell.builder().executionEngine(new KindlingExecutionControlProvider(), Map.of()).build()) {
            for (String snippet : KindlingShell.startupSnippet().split("\n")) {
                jshell.eval(snippet);
            }
            String simpleNames = KindlingShell.API_TYPES.stream().map(t -> t.getSimpleName() + ".class")
                    .collect(Collectors.joining(", "));
            String expected = KindlingShell.API_TYPES.stream().map(Class::getName).collect(Collectors.joining(", ", "[", "]"));
            assertEquals(expected, value(jshell, "Stream.of(" + simpleNames + ").map(Class::getName).toList()"));
            assertEquals("DISK_ONLY", value(jshell, "kc.range(0, 10).persist(StorageLevel.DISK_ONLY).getStorageLevel()"));
            assertEquals("3", value(jshell, "new HashPartitioner(3).numPartitions()"));
        }
    }

    @Test
    void arrayValuedResultsAreShownElementByElement() {
        try (JShell jshell = JShell.builder().executionEngine(new KindlingExecutionControlProvider(), Map.of()).build()) {
            for (String snippet : KindlingShell.startupSnippet().split("\n")) {
                jshell.eval(snippet);
            }
            // 0..9 in 2 equal buckets [0, 4.5) and [4.5, 9]: 5 values each.
            String histogram = "(" + java.util.Arrays.toString(new double[] {0.0, 4.5, 9.0}) + ","
                    + java.util.Arrays.toString(new long[] {5, 5}) + ")";
            assertEquals(histogram, value(jshell,
                    "kc.parallelizeDoubles(IntStream.range(0, 10).asDoubleStream().boxed().toList()).histogram(2)"));
            assertEquals(java.util.Arrays.toString(new long[] {3, 7}),
                    value(jshell, "kc.parallelizeDoubles(List.of(1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.5, 10.0))"
                            + ".histogram(new double[] {0, 4, 10})"));
            assertEquals(java.util.Arrays.deepToString(new double[][] {{1, 2}, {3}}),
                    value(jshell, "new double[][] {{1, 2}, {3}}"));
            assertEquals("[[1, 2], [3]]", value(jshell, "kc.parallelize(List.of(new int[] {1, 2}, new int[] {3}), 2).collect()"));

            List<SnippetEvent> events = jshell.eval("var centers = new double[][] {{0.5}, {2.5, 1.0}};");
            jdk.jshell.VarSnippet centers = (jdk.jshell.VarSnippet) events.get(events.size() - 1).snippet();
            assertEquals("[[0.5], [2.5, 1.0]]", jshell.varValue(centers));
            assertEquals("[1, 2, 3]", value(jshell, "List.of(1, 2, 3)"), "values without arrays are JShell's");
        }
    }

    private static String value(JShell jshell, String expression) {
        List<SnippetEvent> events = jshell.eval(expression);
        SnippetEvent last = events.get(events.size() - 1);
        if (last.exception() != null) {
            throw new AssertionError("snippet failed: " + expression, last.exception());
        }
        assertEquals(jdk.jshell.Snippet.Status.VALID, last.status(), () -> jshell.diagnostics(last.snippet())
                .map(d -> d.getMessage(null)).collect(Collectors.joining("; ")));
        return last.value();
    }
}
