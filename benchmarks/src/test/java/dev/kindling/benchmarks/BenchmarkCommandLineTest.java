package dev.kindling.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.examples.ExampleCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark runners' command lines: {@code --help} describes every option with its default and
 * exits 0; a bad option or value prints the error once and the usage once and exits 2, before any
 * measurement starts (an in-process run would otherwise take minutes).
 */
class BenchmarkCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) throws Exception {
        return ExampleCommand.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    static Stream<Arguments> benchmarks() {
        return Stream.of(
                Arguments.of("CoreBenchmark", (Supplier<Object>) CoreBenchmark::new,
                        List.of("--mb=<mb>", "Default: 200", "--runs=<n>", "Default: 3", "--out=<dir>",
                                "Default: benchmarks/results")),
                Arguments.of("LogRegBenchmark", (Supplier<Object>) LogRegBenchmark::new,
                        List.of("--sizes=<n>[,<n>...]", "Default: 250000,500000,1000000,2000000,4000000", "--uncached",
                                "(default: false)", "--out=<dir>")),
                Arguments.of("StorageBenchmark", (Supplier<Object>) StorageBenchmark.Cli::new,
                        List.of("[<records>]", "Default: 50000000", "shuffle")),
                Arguments.of("CombineMapBenchmark", (Supplier<Object>) CombineMapBenchmark.Cli::new,
                        List.of("--mb=<mb>", "Default: 40", "--rounds=<n>", "Default: 12")),
                Arguments.of("ScratchFileBenchmark", (Supplier<Object>) ScratchFileBenchmark.Cli::new,
                        List.of("[<records>]", "Default: 4000000")),
                Arguments.of("StreamingBenchmark", (Supplier<Object>) StreamingBenchmark.Cli::new,
                        List.of("[<megabytes>]", "Default: 20", "[<runs>]", "Default: 3")),
                Arguments.of("GdSameJvmTimer", (Supplier<Object>) GdSameJvmTimer.Cli::new,
                        List.of("--rounds=<rounds>", "Default: 12", "--block=<block>", "Default: 20")),
                Arguments.of("TinyJobTimer", (Supplier<Object>) TinyJobTimer.Cli::new,
                        List.of("[<rounds>]", "Default: 6", "[<jobs>]", "Default: 3000")),
                Arguments.of("UiOverheadTimer", (Supplier<Object>) UiOverheadTimer.Cli::new,
                        List.of("--tasks=<tasks>", "Default: 100000", "--rounds=<rounds>", "Default: 7")));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("benchmarks")
    void helpListsTheOptionsWithDefaultsAndExitsZero(String name, Supplier<Object> command, List<String> expected)
            throws Exception {
        assertEquals(0, run(command.get(), "--help"));

        String help = out.toString();
        assertTrue(help.startsWith("Usage: " + name), help);
        for (String part : expected) {
            assertTrue(help.contains(part), name + " help lacks '" + part + "':\n" + help);
        }
        assertEquals("", err.toString());
    }

    @ParameterizedTest(name = "{0} --bogus")
    @MethodSource("benchmarks")
    void whenAnOptionIsUnknown_thenItIsNamedOnceWithTheUsageOnceAndExitIsTwo(String name, Supplier<Object> command,
                                                                          List<String> expected)
            throws Exception {
        assertEquals(2, run(command.get(), "--bogus"));

        String text = err.toString();
        assertTrue(text.startsWith(name + ": Unknown option: '--bogus'"), text);
        assertEquals(1, text.split("Usage: " + name, -1).length - 1, text);
        assertEquals("", out.toString());
    }

    @Test
    void whenANumberIsMalformed_thenTheValueIsNamedAndNothingRuns() throws Exception {
        assertEquals(2, run(new CoreBenchmark(), "--mb", "lots"));
        assertTrue(err.toString().contains("'lots'") && err.toString().contains("--mb"), err::toString);

        StringWriter err2 = new StringWriter();
        assertEquals(2, ExampleCommand.execute(new StorageBenchmark.Cli(), new PrintWriter(out, true),
                new PrintWriter(err2, true), "1000", "shufle"));
        assertTrue(err2.toString().contains("the second argument can only be 'shuffle' (got 'shufle')"), err2::toString);
    }

    /** The real entry point, main in its own JVM: its exit statuses are what scripts see. */
    @Test
    void mainExitsZeroForHelpAndTwoForAUsageError() throws Exception {
        assertEquals(0, java(CoreBenchmark.class, "--help"));
        assertEquals(2, java(CoreBenchmark.class, "--threads"));
    }

    private static int java(Class<?> main, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
            assertTrue(output.contains("Usage: " + main.getSimpleName()), output);
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }
}
