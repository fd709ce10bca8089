package dev.kindling.internal.io;

import dev.kindling.StreamingCounters;
import dev.kindling.scheduler.TaskContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external command for one task attempt and streams a partition through it: the shared
 * engine of {@code RDD.pipe()} and the Hadoop Streaming runner.
 *
 * <pre>
 *   input iterator --[writer thread: one line per element]--> stdin
 *   task thread   <--[lines, terminator removed]------------- stdout
 *   stderr reader thread: reporter:counter / reporter:status lines, the rest to the log
 *   watchdog: kills the whole process tree on kill, timeout, or a failed exit with children left
 * </pre>
 * When stdout ends, the task thread waits for the process and the writer; a non-zero exit throws
 * {@link SubprocessFailedException} with the last stderr lines. The command runs as the root of its
 * own process tree ({@link ProcessTree}: its own process group where {@code setsid} works), and the
 * whole tree, children of children included, is killed (TERM, then KILL after a short grace) when
 * the attempt ends for any reason; as soon as the attempt is killed (job cancelled, context closed);
 * when the command exits non-zero while processes it started still run; and when it has been idle
 * for longer than its {@link Timeout} ({@link SubprocessTimeoutException}). So no process outlives
 * its task and no executor thread stays blocked on one. If the process exits with status 0 without
 * reading all its input, the unread input is ignored (like {@code head}). {@link PipeProcess} lists
 * the rules in detail.
 */
public final class SubprocessPipe {

    private static final Logger LOG = LoggerFactory.getLogger(SubprocessPipe.class);

    private SubprocessPipe() {
    }

    /**
     * How long a command may be idle (no stdout line read, no stdin write, no stderr line) before it
     * is killed with its whole process tree, and the setting that chose it, named in the error.
     *
     * @param millis  the limit in milliseconds; 0 for none
     * @param setting the configuration key that set it
     */
    public record Timeout(long millis, String setting) implements java.io.Serializable {
        /** No limit. */
        public static final Timeout NONE = new Timeout(0, "(none)");

        /** Checks the limit. */
        public Timeout {
            if (millis < 0) {
                throw new IllegalArgumentException(setting + " must be 0 (no limit) or a positive number of milliseconds"
                        + " (got " + millis + ")");
            }
        }
    }

    /**
     * Starts {@code command} and returns its stdout lines as bytes.
     *
     * @param command  program and arguments (no shell)
     * @param env      variables added to the inherited environment
     * @param workDir  working directory, or null for the current one
     * @param input    elements written one per line: a {@code byte[]} or {@link ByteSlice} as is, anything else as
     *                 {@code toString()} in UTF-8
     * @param counters where reporter counter lines go (per attempt), or null to only log them
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       Iterator<?> input, TaskContext task, StreamingCounters counters) {
        return run(command, env, workDir, input, task, counters, true);
    }

    /**
     * Like {@link #run(List, Map, Path, Iterator, TaskContext, StreamingCounters)};
     * {@code failOnNonZeroExit = false} ignores the exit status (Hadoop's
     * {@code stream.non.zero.exit.is.failure=false}).
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       Iterator<?> input, TaskContext task, StreamingCounters counters,
                                       boolean failOnNonZeroExit) {
        return run(command, env, workDir, linesOf(input), task, counters, failOnNonZeroExit);
    }

    /**
     * Input that writes one line per element of {@code input}: a {@code byte[]} or {@link ByteSlice}
     * as is, anything else as {@code toString()} in UTF-8.
     */
    public static InputWriter linesOf(Iterator<?> input) {
        return stdin -> writeLines(input, stdin);
    }

    /**
     * Writes a process's whole input to its stdin, on the pipe's writer thread. For callers that
     * have their input as bytes already (sorted shuffle blocks): they write it in large pieces
     * instead of one element per line.
     */
    @FunctionalInterface
    public interface InputWriter {
        /**
         * Writes all of the input to {@code stdin} (buffered by the caller as it sees fit); the pipe closes it.
         * Once the command is stopped, writes throw {@code IOException} and the thread is interrupted.
         */
        void writeTo(OutputStream stdin) throws IOException;
    }

    /**
     * Like {@link #run(List, Map, Path, Iterator, TaskContext, StreamingCounters, boolean)}, with
     * the input written by {@code input} instead of one line per element of an iterator.
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       InputWriter input, TaskContext task, StreamingCounters counters,
                                       boolean failOnNonZeroExit) {
        return run(command, env, workDir, input, task, counters, failOnNonZeroExit, Timeout.NONE);
    }

    /**
     * Like {@link #run(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean)}, with
     * the command killed (with its whole tree) after {@code timeout} without activity.
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       InputWriter input, TaskContext task, StreamingCounters counters,
                                       boolean failOnNonZeroExit, Timeout timeout) {
        return run(command, env, workDir, input, task, counters, failOnNonZeroExit, timeout, true);
    }

    /**
     * Like {@link #run(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean, Timeout)};
     * {@code logStderr = false} keeps the command's stderr lines out of the log: they are then
     * only in a failure's {@link SubprocessFailedException#stderrTail()} (the streaming runner
     * shows them once, with the failed attempt).
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       InputWriter input, TaskContext task, StreamingCounters counters,
                                       boolean failOnNonZeroExit, Timeout timeout, boolean logStderr) {
        PipeLines lines = start(command, env, workDir, input, task, counters, failOnNonZeroExit, timeout, logStderr);
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null && lines.next()) {
                    next = Arrays.copyOfRange(lines.array(), lines.offset(), lines.offset() + lines.length());
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    /**
     * Like {@link #run(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean)}, with
     * the output lines read in place, without an array per line: for callers that copy each line
     * somewhere anyway (the streaming runner packs them into shuffle blocks).
     */
    public static PipeLines start(List<String> command, Map<String, String> env, Path workDir,
                                  InputWriter input, TaskContext task, StreamingCounters counters,
                                  boolean failOnNonZeroExit) {
        return start(command, env, workDir, input, task, counters, failOnNonZeroExit, Timeout.NONE);
    }

    /**
     * Like {@link #start(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean)}, with
     * the command killed (with its whole tree) after {@code timeout} without activity. The timeout
     * error names the attempt as the command sees it in {@code mapreduce_task_attempt_id} when
     * {@code env} sets that (the streaming runner does).
     */
    public static PipeLines start(List<String> command, Map<String, String> env, Path workDir,
                                  InputWriter input, TaskContext task, StreamingCounters counters,
                                  boolean failOnNonZeroExit, Timeout timeout) {
        return start(command, env, workDir, input, task, counters, failOnNonZeroExit, timeout, true);
    }

    /**
     * Like {@link #start(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean, Timeout)};
     * {@code logStderr = false} keeps the command's stderr lines out of the log (see
     * {@link #run(List, Map, Path, InputWriter, TaskContext, StreamingCounters, boolean, Timeout, boolean)}).
     */
    public static PipeLines start(List<String> command, Map<String, String> env, Path workDir,
                                  InputWriter input, TaskContext task, StreamingCounters counters,
                                  boolean failOnNonZeroExit, Timeout timeout, boolean logStderr) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        ProcessTree tree;
        try {
            tree = ProcessTree.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run program " + command.get(0) + " (command: " + String.join(" ", command)
                    + (workDir == null ? "" : ", working directory " + workDir) + "): " + e.getMessage(), e);
        }
        String attempt = env.getOrDefault("mapreduce_task_attempt_id", "task " + task.taskAttemptId() + " (stage "
                + task.stageId() + ", partition " + task.partitionId() + ", attempt " + task.attemptNumber() + ")");
        PipeProcess pipe;
        try {
            pipe = new PipeProcess(List.copyOf(command), tree, input, task, counters, failOnNonZeroExit, timeout.millis(),
                    timeout.setting(), attempt, logStderr);
        } catch (RuntimeException | Error e) {
            tree.destroy(1_000);
            throw e;
        }
        return new PipeLines(new LineReader(new CoalescingInputStream(pipe.stdout())), pipe);
    }

    /** Writes one line per element: a {@code byte[]} or {@link ByteSlice} as is, anything else as UTF-8 text. */
    private static void writeLines(Iterator<?> input, OutputStream stdin) throws IOException {
        OutputStream out = new BufferedOutputStream(stdin, 64 * 1024);
        while (input.hasNext()) {
            if (Thread.currentThread().isInterrupted()) {
                // The attempt ended or was killed while the input was still being computed.
                throw new InterruptedIOException("stopped writing the input: the command was stopped");
            }
            Object x = input.next();
            if (x instanceof ByteSlice slice) {
                out.write(slice.array(), slice.offset(), slice.length());
            } else {
                out.write(x instanceof byte[] b ? b : String.valueOf(x).getBytes(StandardCharsets.UTF_8));
            }
            out.write('\n');
        }
        out.flush();
    }

    /** Applies one {@code reporter:} line (without the prefix). */
    static void handleReporterLine(String rest, TaskContext task, StreamingCounters counters, String name) {
        if (rest.startsWith("counter:")) {
            String[] fields = rest.substring("counter:".length()).trim().split(",");
            if (fields.length == 3) {
                try {
                    long amount = Long.parseLong(fields[2].trim());
                    if (counters != null) {
                        counters.addFromTask(task, fields[0].trim(), fields[1].trim(), amount);
                    } else {
                        LOG.debug("[{}] counter {}.{} += {} (no counter registry given to pipe())", name,
                                fields[0].trim(), fields[1].trim(), amount);
                    }
                    return;
                } catch (NumberFormatException e) {
                    // fall through to the parse error
                }
            }
            LOG.warn("[{}] Cannot parse counter line: reporter:{} (expected reporter:counter:group,counter,amount)",
                    name, rest);
        } else if (rest.startsWith("status:")) {
            task.setStatus(rest.substring("status:".length()));
        } else {
            LOG.warn("[{}] Cannot parse reporter line: reporter:{}", name, rest);
        }
    }
}
