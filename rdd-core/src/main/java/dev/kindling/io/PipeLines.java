package dev.kindling.io;

import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stdout of a process started by {@link SubprocessPipe#start}, line by line, each line read in
 * place: {@link #array()}{@code [}{@link #offset()}{@code , offset() + }{@link #length()}{@code )}
 * holds it (terminator removed) until the next call to {@link #next()}, which may overwrite it.
 * When the output ends, {@link #next()} waits for the process and throws if it failed, as the
 * iterator of {@link SubprocessPipe#run} does. Used by one thread, the task's.
 */
public final class PipeLines {

    private final LineReader reader;
    private final String name;
    private final TaskContext task;
    private final Runnable finish;
    private boolean done;

    PipeLines(LineReader reader, String name, TaskContext task, Runnable finish) {
        this.reader = reader;
        this.name = name;
        this.task = task;
        this.finish = finish;
    }

    /**
     * Reads the next line; false once the output has ended and the process has exited successfully.
     *
     * @throws SubprocessFailedException if the process exited with a non-zero status (when that is a failure)
     * @throws UncheckedIOException      if its output cannot be read
     */
    public boolean next() {
        if (done) {
            return false;
        }
        int consumed;
        try {
            consumed = reader.readLineInPlace();
        } catch (IOException e) {
            task.checkKilled();
            throw new UncheckedIOException("Error reading the output of " + name + ": " + e.getMessage(), e);
        }
        if (consumed > 0) {
            return true;
        }
        done = true;
        finish.run();
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
