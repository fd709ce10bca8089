package dev.kindling;

import java.util.List;

/**
 * A subprocess started by {@code pipe()} or the streaming runner neither read input, wrote output
 * nor wrote to stderr for longer than its timeout, so it was killed with every process it started.
 * The message names the command, the timeout in milliseconds, the setting that chose it and how to
 * keep a slow but healthy command alive.
 */
public final class SubprocessTimeoutException extends RuntimeException {

    private final List<String> command;
    private final long timeoutMillis;

    /** Creates the exception for {@code command} of task attempt {@code attempt}, idle for {@code timeoutMillis}. */
    public SubprocessTimeoutException(List<String> command, String attempt, long timeoutMillis, String setting) {
        super("Task attempt " + attempt + " failed to report status for " + timeoutMillis / 1000 + " seconds. Killing! "
                + "The command " + String.join(" ", command) + " timed out after " + timeoutMillis + " ms: it neither"
                + " read input, wrote output nor wrote a line to stderr for that long, so it was killed with every"
                + " process it started. Raise " + setting + " (0 = no limit), or have the command report progress"
                + " with reporter:status:<message> lines on stderr.");
        this.command = List.copyOf(command);
        this.timeoutMillis = timeoutMillis;
    }

    /** The command and its arguments. */
    public List<String> command() {
        return command;
    }

    /** The timeout that ran out, in milliseconds. */
    public long timeoutMillis() {
        return timeoutMillis;
    }
}
