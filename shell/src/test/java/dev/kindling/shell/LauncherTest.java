package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * bin/kindling invoked from another directory whose path has spaces, on files whose paths have
 * spaces (with KINDLING_CLASSPATH set so it does not build).
 */
@Tag("slow")
class LauncherTest {

    private Path dir;

    @BeforeEach
    void createDirectory() throws Exception {
        dir = Files.createTempDirectory("kindling launcher test with spaces");
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void runWordcountWorksFromAnyDirectoryWithSpacesInPaths() throws Exception {
        String text = "the cat and the hat\nthe end\n\n  spaced   out  words the\n";
        Path input = dir.resolve("my input.txt");
        Files.writeString(input, text, StandardCharsets.UTF_8);
        Path output = dir.resolve("word counts");

        Processes.Result result = Processes.launcher(dir, null, "run", "--master", "local[2]",
                "--conf", "kindling.task.maxFailures=1", "wordcount", "my input.txt", output.toString());

        assertEquals(0, result.exitCode(), result::all);
        assertTrue(Files.exists(output.resolve("_SUCCESS")), result::all);
        Map<String, Long> counted = new TreeMap<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).collect(Collectors.toList())) {
                for (String line : Files.readAllLines(part)) {
                    String[] kv = line.split("\t");
                    counted.put(kv[0], Long.parseLong(kv[1]));
                }
            }
        }
        Map<String, Long> expected = Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertEquals(expected, counted);
    }

    @Test
    void runExampleHelpAndUsageErrorsWorkThroughTheLauncher() throws Exception {
        Processes.Result help = Processes.launcher(dir, null, "run", "pagerank", "--help");
        assertEquals(0, help.exitCode(), help::all);
        assertTrue(help.out().startsWith("Usage: kindling run pagerank"), help::all);
        assertTrue(help.out().contains("--iterations=<n>") && help.out().contains("Default: 10"), help::all);

        Processes.Result bad = Processes.launcher(dir, null, "run", "pagerank", "--input", "edges.txt", "--top");
        assertEquals(2, bad.exitCode(), bad::all);
        assertEquals(1, bad.err().split("Usage: kindling run pagerank", -1).length - 1, bad::all);
        assertTrue(bad.err().contains("Missing required parameter for option '--top'"), bad::all);
        assertEquals("", bad.out(), bad::all);
    }

    @Test
    void shellRunsAScriptFileWhosePathHasSpaces() throws Exception {
        Path script = dir.resolve("my analysis.jsh");
        Files.writeString(script, String.join("\n",
                "long evens = kc.range(0, 10_000).filter(x -> x % 2 == 0).count();",
                "System.out.println(\"EVENS=\" + evens + \" PARALLELISM=\" + kc.defaultParallelism());",
                "/exit 3", ""), StandardCharsets.UTF_8);

        Processes.Result result = Processes.launcher(dir, "", "shell", "--master", "local[3]", script.getFileName().toString());

        assertEquals(3, result.exitCode(), result::all);
        assertTrue(result.out().contains("EVENS=5000 PARALLELISM=3"), result::all);
    }

    @Test
    void whenTheScriptDoesNotExist_thenTheErrorNamesItAndExitIsOne() throws Exception {
        Processes.Result result = Processes.launcher(dir, "", "shell", "no such script.jsh");

        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.err().contains("Cannot read the script " + dir.toRealPath().resolve("no such script.jsh"))
                || result.err().contains("Cannot read the script " + dir.resolve("no such script.jsh")), result::all);
    }

    @Test
    void versionWorksThroughTheLauncher() throws Exception {
        Processes.Result result = Processes.launcher(dir, null, "--version");
        assertEquals(0, result.exitCode(), result::all);
        assertTrue(result.out().startsWith("Kindling "), result::all);
    }

}
