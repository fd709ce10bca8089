package dev.kindling.shell.streaming;

/**
 * A streaming job could not be started or did not succeed; {@link #exitCode()} is the client exit
 * status Hadoop Streaming uses for the same situation (1 job failed or bad arguments, 2 bad input
 * path, 3 invalid configuration, 4 output exists, 5 other I/O error, 6 interrupted).
 */
public final class StreamingException extends RuntimeException {

    /** Job failed, or the command line was not understood. */
    public static final int JOB_FAILED = 1;
    /** An input path does not exist or matches nothing. */
    public static final int BAD_INPUT = 2;
    /** A setting is invalid (bad number, unsupported format, missing program). */
    public static final int INVALID_CONFIG = 3;
    /** The output directory already exists. */
    public static final int OUTPUT_EXISTS = 4;
    /** Another I/O error while setting up or committing. */
    public static final int IO_ERROR = 5;
    /** The client was interrupted. */
    public static final int INTERRUPTED = 6;

    private final int exitCode;

    /** Creates the exception with the exit status to report. */
    public StreamingException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Creates the exception with the exit status to report. */
    public StreamingException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** The client exit status. */
    public int exitCode() {
        return exitCode;
    }
}
