package dev.kindling;

import java.util.List;

/**
 * A subprocess started by {@code pipe()} or the streaming runner exited with a non-zero status. The
 * message names the command, the status and the last lines the process wrote to stderr.
 */
public final class SubprocessFailedException extends RuntimeException {

    private final List<String> command;
    private final int exitCode;
    private final List<String> stderrTail;

    /** Creates the exception for {@code command}, which exited with {@code exitCode}. */
    public SubprocessFailedException(List<String> command, int exitCode, List<String> stderrTail) {
        super("Subprocess exited with status " + exitCode + ". Command ran: " + String.join(" ", command)
                + (stderrTail.isEmpty() ? " (it wrote nothing to stderr)"
                        : ". Last lines of its stderr:\n  " + String.join("\n  ", stderrTail)));
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** The command and its arguments. */
    public List<String> command() {
        return command;
    }

    /** The process's exit status. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines of the process's stderr (at most 20). */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
