package dev.kindling.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stdout of a process started by {@link SubprocessPipe#start}, line by line, each line read in
 * place: {@link #array()}{@code [}{@link #offset()}{@code , offset() + }{@link #length()}{@code )}
 * holds it (terminator removed) until the next call to {@link #next()}, which may overwrite it.
 * When the output ends, {@link #next()} waits for the process and throws if it failed, as the
 * iterator of {@link SubprocessPipe#run} does. Once the command has been stopped (its task killed,
 * its timeout passed), {@link #next()} stops at once and throws. Used by one thread, the task's.
 */
public final class PipeLines {

    private final LineReader reader;
    private final PipeProcess process;
    private boolean done;

    PipeLines(LineReader reader, PipeProcess process) {
        this.reader = reader;
        this.process = process;
    }

    /**
     * Reads the next line; false once the output has ended and the process has exited successfully.
     *
     * @throws SubprocessFailedException  if the process exited with a non-zero status (when that is a failure)
     * @throws SubprocessTimeoutException if the process was idle longer than its timeout
     * @throws dev.kindling.scheduler.TaskKilledException if the task was killed meanwhile
     * @throws UncheckedIOException       if its output cannot be read
     */
    public boolean next() {
        if (done) {
            return false;
        }
        int consumed = 0;
        if (!process.stopped()) {
            try {
                consumed = reader.readLineInPlace();
            } catch (IOException e) {
                process.checkStopped();
                throw new UncheckedIOException("Error reading the output of " + process.name() + ": " + e.getMessage(), e);
            }
        }
        if (consumed > 0) {
            process.lineRead();
            return true;
        }
        done = true;
        process.finish();
        return false;
    }

    /** The array holding the current line. */
    public byte[] array() {
        return reader.lineArray();
    }

    /** Where the current line starts in {@link #array()}. */
    public int offset() {
        return reader.lineStart();
    }

    /** Bytes in the current line, without its terminator. */
    public int length() {
        return reader.lineLength();
    }
}
