package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example's command line, through the entry point its {@code main} uses
 * ({@link ExampleCommand#execute}): {@code --help} lists each option with its description and
 * default and exits 0; an unknown option, a bad value or options that do not go together print
 * what was wrong once, then the usage once, and exit 2, without running anything.
 */
class ExampleCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) throws Exception {
        return ExampleCommand.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** Each example, and lines its help must show: options or parameters, and defaults next to them. */
    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("wordcount", (Supplier<Object>) WordCount.Cli::new,
                        List.of("<input>", "<output-dir>", "must not exist")),
                Arguments.of("kmeans", (Supplier<Object>) KMeans.Cli::new,
                        List.of("--input=<file>", "--generate=<n>", "--k=<k>", "Default: 3", "--iterations=<n>",
                                "Default: 20", "--epsilon=<e>", "Default: 1.0E-9", "--seed=<s>", "Default: 42")),
                Arguments.of("pagerank", (Supplier<Object>) PageRank.Cli::new,
                        List.of("--input=<file>", "--iterations=<n>", "Default: 10", "--damping=<d>", "Default: 0.85",
                                "--materialize-every=<n>")),
                Arguments.of("logreg", (Supplier<Object>) LogisticRegression.Cli::new,
                        List.of("--generate=<n>", "--step=<s>", "Default: 1.0", "--iterations=<n>", "Default: 100",
                                "--print-every=<k>", "Default: 1")),
                Arguments.of("linreg", (Supplier<Object>) LinearRegression.Cli::new,
                        List.of("--step=<s>", "Default: 0.5", "--dims=<d>", "Default: 10")));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("examples")
    void helpListsTheOptionsWithTheirDefaultsAndExitsZero(String name, Supplier<Object> command, List<String> expected)
            throws Exception {
        assertEquals(0, run(command.get(), "--help"));

        String help = out.toString();
        assertTrue(help.startsWith("Usage: " + name), help);
        for (String line : expected) {
            assertTrue(help.contains(line), "help of " + name + " lacks '" + line + "':\n" + help);
        }
        assertTrue(help.contains("-h, --help"), help);
        assertEquals("", err.toString());
    }

    @ParameterizedTest(name = "{0} --bogus")
    @MethodSource("examples")
    void whenAnOptionIsUnknown_thenItIsNamedOnceWithTheUsageOnceAndExitIsTwo(String name, Supplier<Object> command,
                                                                          List<String> expected)
            throws Exception {
        // Otherwise valid, so that the unknown option is the error reported.
        String[] args = switch (name) {
            case "wordcount" -> new String[] {"--bogus", "in", "out"};
            case "pagerank" -> new String[] {"--input", "edges.txt", "--bogus"};
            default -> new String[] {"--bogus"};
        };
        assertEquals(2, run(command.get(), args));

        String text = err.toString();
        assertEquals(1, count(text, "'--bogus'"), text);
        assertTrue(text.startsWith(name + ": Unknown option: '--bogus'"), text);
        assertEquals(1, count(text, "Usage: " + name), text);
        assertEquals("", out.toString());
    }

    @Test
    void whenAnOptionIsMisspelt_thenTheRightOneIsSuggestedAndTheUsageShown() throws Exception {
        assertEquals(2, run(new KMeans.Cli(), "--generate", "10", "--iteration", "3"));

        String text = err.toString();
        assertTrue(text.contains("Did you mean: --iterations?") || text.contains("--iterations"), text);
        assertEquals(1, count(text, "Usage: kmeans"), text);
    }

    @Test
    void whenAValueIsNotANumber_thenTheOptionAndValueAreNamedAndExitIsTwo() throws Exception {
        assertEquals(2, run(new LogisticRegression.Cli(), "--generate", "10", "--iterations", "many"));

        String text = err.toString();
        assertEquals(1, count(text, "'many'"), text);
        assertTrue(text.contains("--iterations"), text);
        assertEquals(1, count(text, "Usage: logreg"), text);
    }

    @Test
    void whenNeitherInputNorGenerateIsGiven_thenItIsAUsageErrorBeforeAnyContextStarts() throws Exception {
        assertEquals(2, run(new LinearRegression.Cli(), "--iterations", "3"));

        String text = err.toString();
        assertEquals(1, count(text, "give either --input FILE or --generate N (not both)"), text);
        assertEquals(1, count(text, "Usage: linreg"), text);
    }

    @Test
    void whenKIsNotPositive_thenTheMessageNamesTheOptionAndValue() throws Exception {
        assertEquals(2, run(new KMeans.Cli(), "--generate", "10", "--k", "0"));

        assertEquals(1, count(err.toString(), "kmeans: --k must be > 0 (got 0)"), err::toString);
    }

    @Test
    void whenPagerankHasNoInput_thenTheMissingOptionIsNamedAndExitIsTwo() throws Exception {
        assertEquals(2, run(new PageRank.Cli(), "--iterations", "3"));

        assertEquals(1, count(err.toString(), "Missing required option: '--input=<file>'"), err::toString);
    }

    @Test
    void whenWordcountLacksItsOutput_thenTheMissingParameterIsNamedAndExitIsTwo() throws Exception {
        assertEquals(2, run(new WordCount.Cli(), "in.txt"));

        assertTrue(err.toString().contains("<output-dir>"), err::toString);
        assertEquals(1, count(err.toString(), "Usage: wordcount"), err::toString);
    }

    @Test
    void whenTheExampleFailsWhileRunning_thenTheFailureIsThrownToTheCallerNotPrinted(@TempDir Path dir) throws Exception {
        Path edges = dir.resolve("edges.txt");
        Files.writeString(edges, "1 2\n2 x\n");

        Exception e = assertThrows(Exception.class, () -> run(new PageRank.Cli(), "--input", edges.toString()));

        boolean named = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            named |= String.valueOf(t.getMessage()).contains("in line '2 x'");
        }
        assertTrue(named, () -> "the failure should name the bad line: " + e);
        assertEquals("", err.toString(), "the caller reports the failure, once");
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
