package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drives the real shell as a user would: a child JVM running {@code kindling shell}, fed a script on
 * standard input (one session for all the checks, to keep the suite fast), and asserts on what it
 * prints. Expected values come from plain {@code java.util.stream} computations.
 */
@Tag("slow")
class ShellScriptTest {

    private static final String TEXT = IntStream.range(0, 200)
            .mapToObj(i -> "w" + (i % 7) + " x" + (i % 3) + "  w" + (i % 5) + "\tend")
            .collect(Collectors.joining("\n")) + "\n";

    private static Path dir;
    private static Processes.Result session;

    @BeforeAll
    static void runSession() throws Exception {
        dir = Files.createTempDirectory("kindling shell test");
        Path input = dir.resolve("some words.txt");
        Files.writeString(input, TEXT, StandardCharsets.UTF_8);
        String script = String.join("\n",
                // word count, with a multi-line lambda
                "var counts = kc.textFile(\"" + input.toString().replace("\\", "\\\\") + "\").",
                "    flatMap(line -> {",
                "        List<String> ws = new ArrayList<>();",
                "        for (String w : line.split(\"\\\\s+\")) { if (!w.isEmpty()) ws.add(w); }",
                "        return ws.iterator();",
                "    }).",
                "    mapToPair(w -> Pair.of(w, 1L)).",
                "    reduceByKey(Long::sum);",
                "System.out.println(\"WORDCOUNT \" + new TreeMap<>(counts.collectAsMap()));",
                // a join keyed by a record defined in the session, through a shuffle
                "record Key(int id) implements java.io.Serializable {}",
                "var left = kc.parallelizePairs(List.of(Pair.of(new Key(1), \"a\"), Pair.of(new Key(2), \"b\"), Pair.of(new Key(2), \"c\")), 2);",
                "var right = kc.parallelizePairs(List.of(Pair.of(new Key(2), 20), Pair.of(new Key(3), 30), Pair.of(new Key(2), 21)), 3);",
                "System.out.println(\"JOIN \" + left.join(right).collect().stream().map(p -> p.key().id() + \":\" + p.value().key() + \":\" + p.value().value()).sorted().collect(Collectors.toList()));",
                // a mutable zero value of a session class: copied in executor threads
                "class Acc implements java.io.Serializable { long sum; int n; }",
                "Acc acc = kc.parallelize(IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toList()), 4).aggregate(new Acc(), (a, x) -> { a.sum += x; a.n++; return a; }, (a, b) -> { a.sum += b.sum; a.n += b.n; return a; });",
                "System.out.println(\"AGGREGATE \" + acc.sum + \" \" + acc.n);",
                // a cached RDD is computed once and reused
                "class Calls { static final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger(); }",
                "int square(int x) { Calls.n.incrementAndGet(); return x * x; }",
                "var squares = kc.parallelize(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), 4).map(x -> square(x)).cache();",
                "long total1 = squares.map(x -> (long) x).reduce(Long::sum);",
                "long total2 = squares.map(x -> (long) x).reduce(Long::sum);",
                "System.out.println(\"CACHED \" + total1 + \" \" + total2 + \" computed=\" + Calls.n.get());",
                // an error inside a lambda, then the session goes on
                "kc.parallelize(List.of(1, 2, 0, 4), 4).map(x -> 12 / x).collect()",
                "System.out.println(\"AFTER \" + kc.parallelize(List.of(1, 2, 3)).count());",
                // readable results
                "kc.parallelize(List.of(\"alpha\", \"beta\", \"gamma\", \"delta\", \"eps\", \"zeta\")).take(5)",
                "counts.toDebugString()",
                "/vars",
                "/exit",
                "");
        session = Processes.kindling(script, "shell", "--master", "local[2]",
                "--conf", "kindling.task.maxFailures=2");
    }

    @AfterAll
    static void deleteFiles() throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String line(String prefix) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(prefix) + " (.*)$", Pattern.MULTILINE).matcher(session.out());
        assertTrue(m.find(), () -> "no line starting with '" + prefix + "' in the session output:\n" + session.all());
        return m.group(1);
    }

    @Test
    void theSessionExitsCleanlyWithStatusZero() {
        assertEquals(0, session.exitCode(), session::all);
    }

    @Test
    void theBannerNamesTheVersionParallelismAndHelp() {
        assertTrue(session.err().contains("Kindling " + KindlingCli.version()), session::all);
        assertTrue(session.err().contains("local[2], 2 executor thread(s)"), session::all);
        assertTrue(session.err().contains("/help"), session::all);
    }

    @Test
    void wordCountMatchesAStreamComputation() {
        Map<String, Long> expected = Arrays.stream(TEXT.split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertEquals(expected.toString(), line("WORDCOUNT"));
    }

    @Test
    void joinOnASessionRecordMatchesTheCrossProductPerKey() {
        assertEquals("[2:b:20, 2:b:21, 2:c:20, 2:c:21]", line("JOIN"));
    }

    @Test
    void aggregateCopiesAZeroValueOfASessionClassInExecutorThreads() {
        assertEquals((100 * 101 / 2) + " 100", line("AGGREGATE"));
    }

    @Test
    void aCachedRddIsComputedOnceAndReused() {
        long expected = IntStream.range(0, 1000).mapToLong(x -> (long) x * x).sum();
        assertEquals(expected + " " + expected + " computed=1000", line("CACHED"));
    }

    @Test
    void anErrorInALambdaIsReportedReadablyAndTheSessionGoesOn() {
        String out = session.out();
        assertTrue(out.contains("JobFailedException"), session::all);
        assertTrue(out.contains("java.lang.ArithmeticException: / by zero"), session::all);
        assertTrue(out.contains("map at <shell>"), session::all);
        assertTrue(out.contains("failed 2 time(s) (kindling.task.maxFailures=2)"), "--conf reaches the context:\n" + out);
        assertEquals("3", line("AFTER"));
    }

    @Test
    void takeAndToDebugStringPrintReadably() {
        String out = session.out();
        assertTrue(out.contains("==> [alpha, beta, gamma, delta, eps]"), session::all);
        assertTrue(out.contains("==> (2) ShuffledRDD"), session::all);
        assertTrue(out.contains("\n +-("), () -> "lineage should be printed on several lines:\n" + out);
    }

    @Test
    void varsListsTheContextAndTheSessionsVariables() {
        String out = session.out();
        assertTrue(out.contains("KindlingContext kc = KindlingContext[kindling-shell, 2 threads]"), session::all);
        assertTrue(out.contains("Acc acc = "), session::all);
    }
}
