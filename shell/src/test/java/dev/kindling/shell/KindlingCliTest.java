package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The command line's help, version and error handling, run in-process. */
class KindlingCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kindling(String... args) {
        return KindlingCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheSubcommandsAndExitsZero() {
        assertEquals(0, kindling("--help"));
        assertTrue(out.toString().contains("run"), out::toString);
        assertTrue(out.toString().contains("shell"), out::toString);
    }

    @Test
    void shellHelpDescribesItsOptions() {
        assertEquals(0, kindling("shell", "--help"));
        String help = out.toString();
        assertTrue(help.contains("--master") && help.contains("--conf") && help.contains("<script>"), help);
    }

    @Test
    void versionNamesKindlingAndJava() {
        assertEquals(0, kindling("--version"));
        assertTrue(out.toString().startsWith("Kindling " + KindlingCli.version() + " (Java 17"), out::toString);
    }

    @Test
    void whenTheSubcommandIsUnknown_thenItSaysSoShowsUsageAndExitsTwo() {
        assertEquals(2, kindling("frobnicate"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'frobnicate'"), err::toString);
        assertTrue(err.toString().contains("Usage: kindling"), err::toString);
    }

    @Test
    void whenTheSubcommandIsMisspelt_thenTheRightOneIsSuggested() {
        assertEquals(2, kindling("shel"));
        assertTrue(err.toString().contains("Did you mean: kindling shell?"), err::toString);
    }

    @Test
    void whenNoSubcommandIsGiven_thenUsageIsPrintedAndExitIsTwo() {
        assertEquals(2, kindling());
        assertTrue(err.toString().contains("Usage: kindling"), err::toString);
    }

    @Test
    void whenTheShellScriptIsMissing_thenTheFailureNamesItAndExitIsOne() {
        assertEquals(1, kindling("shell", "/no/such/dir/analysis.jsh"));
        assertTrue(err.toString().contains("kindling shell: Cannot read the script /no/such/dir/analysis.jsh"), err::toString);
    }

    @Test
    void whenAnOptionIsUnknown_thenItIsNamedAndExitIsTwo() {
        assertEquals(2, kindling("shell", "--masterr", "local[2]"));
        assertTrue(err.toString().contains("--masterr"), err::toString);
    }

    @Test
    void whenAConfKeyIsNotAKindlingKey_thenTheMessageSaysWhichAndExitIsTwo() {
        assertEquals(2, kindling("run", "--conf", "spark.master=local", "wordcount", "a", "b"));
        assertTrue(err.toString().contains("--conf spark.master=local: keys must start with 'kindling.'"), err::toString);
    }

    @Test
    void whenTheMasterIsNotALocalMaster_thenItIsAUsageErrorNamingTheOption() {
        assertEquals(2, kindling("run", "--master", "mesos", "wordcount", "a", "b"));
        assertTrue(err.toString().contains("--master mesos: kindling.master must be local, local[N]"), err::toString);
        assertEquals(2, kindling("shell", "--master", "local[0]"));
        assertTrue(err.toString().contains("--master local[0]:"), err::toString);
        assertEquals(2, kindling("shell", "--master", "local-cluster[2,1,32]"));
        assertTrue(err.toString().contains("--master local-cluster[2,1,32]:") && err.toString().contains("M >= 64 MiB"),
                err::toString);
    }

    @Test
    void whenAConfValueIsNotValidForItsKey_thenItIsAUsageErrorNamingKeyAndValue() {
        assertEquals(2, kindling("run", "--conf", "kindling.task.maxFailures=abc", "wordcount", "a", "b"));
        assertTrue(err.toString().contains(
                "--conf kindling.task.maxFailures=abc: kindling.task.maxFailures must be an integer >= 1 (got \"abc\")"),
                err::toString);
        assertTrue(err.toString().contains("Usage: kindling run"), err::toString);
        assertEquals(2, kindling("run", "--conf", "kindling.memory.fraction=1.5", "wordcount", "a", "b"));
        assertEquals(2, kindling("run", "--conf", "kindling.output.overwrite=yes", "wordcount", "a", "b"));
        assertEquals(2, kindling("shell", "--conf", "kindling.closure.copyPerTask=sometimes"));
    }

    @Test
    void whenAnOptionOfRunIsUnknown_thenItIsNamedAndExitIsTwo() {
        assertEquals(2, kindling("run", "--bogus", "wordcount", "a", "b"));
        assertTrue(err.toString().contains("Unknown option: '--bogus'"), err::toString);
    }

    @Test
    void validValuesAndKeysThisVersionDoesNotKnowAreAccepted() {
        Probe probe = new Probe();
        CommandLine commandLine = new CommandLine(probe);
        commandLine.parseArgs("--master", "local[*]", "--conf", "kindling.memory.fraction=0.5",
                "--conf", "kindling.closure.copyPerTask=always", "--conf", "kindling.some.futureKey=anything");
        assertEquals(4, probe.options.settings(commandLine).size());
    }

    @Test
    void whenTheExampleIsUnknown_thenTheAvailableOnesAreListed() {
        assertEquals(2, kindling("run", "wordcont"));
        String expected = "Unknown example 'wordcont'. Available: " + String.join(", ", Examples.all().keySet());
        assertTrue(err.toString().contains(expected), err::toString);
        assertTrue(err.toString().contains("wordcount"), err::toString);
        assertTrue(err.toString().contains("Usage: kindling run"), err::toString);
    }

    @Test
    void runExampleHelpListsTheExamplesOptionsWithDefaultsAndExitsZero() {
        assertEquals(0, kindling("run", "--master", "local[1]", "kmeans", "--help"));

        String help = out.toString();
        assertTrue(help.startsWith("Usage: kindling run kmeans"), help);
        assertTrue(help.contains("--k=<k>") && help.contains("Default: 3") && help.contains("--generate=<n>"), help);
        assertEquals("", err.toString());
    }

    @Test
    void whenAnExampleOptionIsMisspelt_thenItIsNamedOnceWithTheExamplesUsageOnceAndExitIsTwo() {
        assertEquals(2, kindling("run", "logreg", "--generate", "10", "--iteration", "3"));

        String text = err.toString();
        assertEquals(1, text.split("'--iteration'", -1).length - 1, text);
        assertTrue(text.startsWith("kindling run logreg: Unknown option"), text);
        assertEquals(1, text.split("Usage: kindling run logreg", -1).length - 1, text);
        assertTrue(text.contains("--iterations"), text);
    }

    @Test
    void masterAndConfBecomeKindlingSettings() {
        Probe probe = new Probe();
        CommandLine commandLine = new CommandLine(probe);
        commandLine.parseArgs("--master", "local[3]", "--conf", "kindling.task.maxFailures=2",
                "--conf", "kindling.app.name=a=b");
        assertEquals(Map.of("kindling.master", "local[3]", "kindling.task.maxFailures", "2", "kindling.app.name", "a=b"),
                probe.options.settings(commandLine));
    }

    /** A command with just the context options. */
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ContextOptions options = new ContextOptions();
    }
}
