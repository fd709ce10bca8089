package dev.kindling.shell;

import dev.kindling.KindlingConf;
import dev.kindling.examples.ExampleCommand;
import dev.kindling.internal.util.StatusUiKeys;
import dev.kindling.shell.progress.ConsoleProgressBar;
import dev.kindling.shell.progress.Terminals;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code kindling} command line: {@code kindling run <example> [args]}, {@code kindling shell},
 * {@code kindling submit --class MAIN app.jar [args]} (see {@link SubmitCommand}),
 * {@code kindling history <dir>},
 * {@code --help}, {@code --version}. Unknown subcommands and bad options print what was wrong and
 * the usage, and exit with status 2; a failure while running exits with status 1, reported root
 * cause first (see {@link FailureReport}). SIGINT and SIGTERM cancel the running job, let the command
 * clean up (see {@link CommandShutdownHook}) and exit with 130 and 143.
 */
@Command(name = "kindling", mixinStandardHelpOptions = true, versionProvider = KindlingCli.Version.class,
        description = "Kindling: a small, fast in-memory dataflow engine for Java.",
        subcommands = {KindlingCli.Run.class, StreamingCommand.class, HistoryCommand.class})
public final class KindlingCli implements Callable<Integer> {

    /** System property that makes a failure print its stack trace. */
    static final String TRACE = "kindling.cli.trace";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * Runs the command line and exits with its status. When standard error is a terminal (even if
     * standard output is redirected; see {@link Terminals}), contexts created by the command draw a
     * progress bar there (unless {@value KindlingConf#SHOW_CONSOLE_PROGRESS} is false). They also serve
     * the status web UI (unless {@code kindling.ui.enabled} is false).
     */
    public static void main(String[] args) {
        CliLogging.configure();
        if (!"false".equalsIgnoreCase(System.getProperty(KindlingConf.SHOW_CONSOLE_PROGRESS))
                && Terminals.isStderrTerminal()) {
            addExtraListener(ConsoleProgressBar.class.getName());
        }
        // Contexts the command line starts serve the status web UI unless told otherwise.
        if (System.getProperty(StatusUiKeys.ENABLED) == null) {
            System.setProperty(StatusUiKeys.ENABLED, "true");
        }
        int status;
        try (CommandShutdownHook ignored = CommandShutdownHook.forCurrentThread()) {
            status = execute(args);
        }
        System.exit(status);
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with help and error messages going to {@code out} and {@code err}; returns its exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new KindlingCli());
        commandLine.addSubcommand("shell", new ShellCommand());
        commandLine.addSubcommand("submit", new SubmitCommand());
        // Everything after the application jar belongs to the application, even if it looks like an option.
        commandLine.getSubcommands().get("submit").setStopAtPositional(true);
        // Everything after the example's name belongs to the example, even if it looks like an option.
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(KindlingCli::reportFailure);
        return commandLine.execute(args);
    }

    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        FailureReport.print(err, commandLine.getCommandName(), e);
        if (Boolean.getBoolean(TRACE)) {
            e.printStackTrace(err);
        } else {
            err.println("(run with KINDLING_JAVA_OPTS=-D" + TRACE + "=true to see the stack trace)");
        }
        err.flush();
        return 1;
    }

    private static void addExtraListener(String className) {
        String existing = System.getProperty(KindlingConf.EXTRA_LISTENERS, "").trim();
        if (!existing.contains(className)) {
            System.setProperty(KindlingConf.EXTRA_LISTENERS, existing.isEmpty() ? className : existing + "," + className);
        }
    }

    /** The version of Kindling, from the jar manifest. */
    static String version() {
        String v = KindlingCli.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** {@code kindling run [--master M] [--conf k=v]... <example> [args...]}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs a bundled example, e.g. 'run wordcount <input> <output-dir>'.")
    static final class Run implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ContextOptions context = new ContextOptions();

        @Parameters(index = "0", paramLabel = "<example>", description = "Example to run: ${COMPLETION-CANDIDATES}",
                completionCandidates = ExampleNames.class)
        String example;

        @Parameters(index = "1..*", paramLabel = "<args>",
                description = "Arguments for the example ('run <example> --help' lists them).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Supplier<Object> command = Examples.all().get(example);
            if (command == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Unknown example '" + example
                        + "'. Available: " + String.join(", ", Examples.all().keySet()));
            }
            context.applyAsSystemProperties(spec.commandLine());
            CommandLine exampleLine = ExampleCommand.commandLine(command.get(), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
            exampleLine.setCommandName("kindling run " + example);
            // --help exits 0; a usage error is printed once with the example's usage and exits 2;
            // a failure propagates to reportFailure (exit 1).
            return ExampleCommand.execute(exampleLine, args.toArray(new String[0]));
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
            return new String[] {"Kindling " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
