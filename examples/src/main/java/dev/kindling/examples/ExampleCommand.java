package dev.kindling.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How every example and benchmark reads its command line: with picocli, as the main {@code kindling}
 * command does. The rules, the same everywhere:
 * <ol>
 *   <li>{@code --help} (or {@code -h}) prints the usage, with each option's description and default,
 *       on standard output and exits with status 0;</li>
 *   <li>a usage error (unknown option, missing or malformed value, values that do not go together)
 *       prints what was wrong once, a suggestion if an option looks misspelt, then the usage, on
 *       standard error, and exits with status 2;</li>
 *   <li>a failure while running is not caught here: it propagates to the caller ({@code kindling run}
 *       reports it and exits 1).</li>
 * </ol>
 */
public final class ExampleCommand {

    /** The exit status of a usage error. */
    public static final int USAGE_ERROR = 2;

    private ExampleCommand() {
    }

    /** The {@code -h}/{@code --help} option, for a command's {@code @Mixin}. */
    public static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help (options and defaults) and exit.")
        boolean help;
    }

    /**
     * A picocli command line for {@code command} (an object annotated with {@code @Command}) that
     * prints help on {@code out} and usage errors on {@code err} by the rules above.
     */
    public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(ExampleCommand::reportUsageError);
        return commandLine;
    }

    /**
     * Runs {@code command} with {@code args} and returns its exit status (0, or 2 for a usage error).
     *
     * @throws Exception what the command itself threw while running, unchanged
     */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) throws Exception {
        return execute(commandLine(command, out, err), args);
    }

    /**
     * Runs {@code commandLine} (made by {@link #commandLine}) with {@code args} and returns its exit
     * status. A failure of the command is rethrown as it was thrown, not printed: picocli would print
     * its stack trace, and the caller ({@code kindling run}) reports it, root cause first, once.
     *
     * @throws Exception what the command itself threw while running
     */
    public static int execute(CommandLine commandLine, String... args) throws Exception {
        Exception[] failure = new Exception[1];
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            failure[0] = e;
            return 1;
        });
        int status = commandLine.execute(args);
        if (failure[0] != null) {
            throw failure[0];
        }
        return status;
    }

    /**
     * The body of an example's {@code main}: runs {@code command} on the standard streams and exits
     * the JVM with the status when it is not 0 (a failure propagates as an exception).
     */
    public static void main(Object command, String[] args) throws Exception {
        int status = execute(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** A usage error of the command {@code spec} describes: printed with the usage, exit status 2. */
    public static ParameterException usageError(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Fails with a usage error naming the option unless {@code value > 0}. */
    public static void requirePositive(CommandSpec spec, String option, double value) {
        if (!(value > 0)) {
            throw usageError(spec, option + " must be > 0 (got " + (value == Math.rint(value) ? String.valueOf((long) value)
                    : String.valueOf(value)) + ")");
        }
    }

    /** Prints the message once, a suggestion for a misspelt option, then the usage; returns 2. */
    private static int reportUsageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        commandLine.usage(err);
        err.flush();
        return USAGE_ERROR;
    }
}
