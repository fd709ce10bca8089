package dev.kindling.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code kindling} command line: {@code kindling run <example> [args]}, {@code --help},
 * {@code --version}.
 */
@Command(name = "kindling", mixinStandardHelpOptions = true, versionProvider = KindlingCli.Version.class,
        description = "Kindling: a small, fast in-memory dataflow engine for Java.",
        subcommands = {KindlingCli.Run.class})
public final class KindlingCli implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int execute(String... args) {
        // Stop at the example name: everything after it (options included) belongs to the example.
        return new CommandLine(new KindlingCli()).setStopAtPositional(true).execute(args);
    }

    /** {@code kindling run <example> [args...]}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs a bundled example, e.g. 'run wordcount <input> <output-dir>'.")
    static final class Run implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "<example>", description = "Example to run: ${COMPLETION-CANDIDATES}",
                completionCandidates = ExampleNames.class)
        String example;

        @Parameters(index = "1..*", paramLabel = "<args>", description = "Arguments for the example.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Consumer<String[]> main = Examples.all().get(example);
            if (main == null) {
                System.err.println("Unknown example '" + example + "'. Available: " + String.join(", ", Examples.all().keySet()));
                return 2;
            }
            main.accept(args.toArray(new String[0]));
            return 0;
        }
    }

    /** Names of the bundled examples, for help and completion. */
    static final class ExampleNames extends ArrayList<String> {
        ExampleNames() {
            super(Examples.all().keySet());
        }
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KindlingCli.class.getPackage().getImplementationVersion();
            return new String[] {"Kindling " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
