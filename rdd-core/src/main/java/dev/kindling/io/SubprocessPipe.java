package dev.kindling.io;

import dev.kindling.scheduler.TaskContext;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external process for one task attempt and streams a partition through it: the shared
 * engine of {@code RDD.pipe()} and the Hadoop Streaming runner.
 *
 * <pre>
 *   input iterator --[writer thread: one line per element]--> stdin
 *   task thread   <--[lines, terminator removed]------------- stdout
 *   stderr reader thread: reporter:counter / reporter:status lines, the rest to the log
 * </pre>
 * When stdout ends, the task thread waits for the process and the writer; a non-zero exit throws
 * {@link SubprocessFailedException} with the last stderr lines. A completion listener kills the
 * process (and its writer) when the attempt ends for any reason, and a watchdog kills it as soon as
 * the attempt is killed, so no process outlives its task. If the process exits with status 0
 * without reading all its input, the unread input is ignored (like {@code head}).
 */
public final class SubprocessPipe {

    private static final Logger LOG = LoggerFactory.getLogger(SubprocessPipe.class);
    private static final int STDERR_TAIL = 20;
    private static final String REPORTER = "reporter:";
    /** Kills processes of killed tasks; its one thread exits a second after the last pipe ends. */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor WATCHDOG = newWatchdog();

    private SubprocessPipe() {
    }

    private static java.util.concurrent.ScheduledThreadPoolExecutor newWatchdog() {
        java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kindling-subprocess-watchdog");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setKeepAliveTime(1, java.util.concurrent.TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
        /** Writes all of the input to {@code stdin} (buffered by the caller as it sees fit); the pipe closes it. */
        void writeTo(OutputStream stdin) throws IOException;
    }

    /**
     * Like {@link #run(List, Map, Path, Iterator, TaskContext, StreamingCounters, boolean)}, with
     * the input written by {@code input} instead of one line per element of an iterator.
     */
    public static Iterator<byte[]> run(List<String> command, Map<String, String> env, Path workDir,
                                       InputWriter input, TaskContext task, StreamingCounters counters,
                                       boolean failOnNonZeroExit) {
        PipeLines lines = start(command, env, workDir, input, task, counters, failOnNonZeroExit);
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
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run program " + command.get(0) + " (command: " + String.join(" ", command)
                    + (workDir == null ? "" : ", working directory " + workDir) + "): " + e.getMessage(), e);
        }
        String name = String.join(" ", command);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> writeInput(process, input, writerFailure),
                "kindling-pipe-stdin-" + task.taskAttemptId());
        writer.setDaemon(true);
        Deque<String> tail = new ArrayDeque<>();
        Thread stderr = new Thread(() -> readStderr(process, task, counters, tail, name),
                "kindling-pipe-stderr-" + task.taskAttemptId());
        stderr.setDaemon(true);
        ScheduledFuture<?> watchdog = WATCHDOG.scheduleWithFixedDelay(() -> {
            if (task.isKilled()) {
                process.destroyForcibly();
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        task.addCompletionListener(() -> {
            watchdog.cancel(false);
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            writer.interrupt();
        });
        writer.start();
        stderr.start();
        LineReader stdout = new LineReader(new CoalescingInputStream(process.getInputStream()));
        return new PipeLines(stdout, name, task,
                () -> finish(process, command, writer, stderr, writerFailure, tail, task, failOnNonZeroExit));
    }

    private static void writeInput(Process process, InputWriter input, AtomicReference<Throwable> failure) {
        try (OutputStream out = process.getOutputStream()) {
            input.writeTo(out);
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** Writes one line per element: a {@code byte[]} or {@link ByteSlice} as is, anything else as UTF-8 text. */
    private static void writeLines(Iterator<?> input, OutputStream stdin) throws IOException {
        OutputStream out = new BufferedOutputStream(stdin, 64 * 1024);
        while (input.hasNext()) {
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

    private static void readStderr(Process process, TaskContext task, StreamingCounters counters, Deque<String> tail,
                                   String name) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (line.startsWith(REPORTER)) {
                    handleReporterLine(line.substring(REPORTER.length()), task, counters, name);
                    continue;
                }
                LOG.info("[{}] {}", name, line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > STDERR_TAIL) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The process was killed or its stream closed: nothing more to read.
        }
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

    private static void finish(Process process, List<String> command, Thread writer, Thread stderr,
                               AtomicReference<Throwable> writerFailure, Deque<String> tail, TaskContext task,
                               boolean failOnNonZeroExit) {
        int status;
        try {
            status = process.waitFor();
            writer.join();
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            task.checkKilled();
            throw new IllegalStateException("Interrupted while waiting for " + String.join(" ", command), e);
        }
        task.checkKilled();
        Throwable failure = writerFailure.get();
        if (failure != null && !(failure instanceof IOException)) {
            // The input iterator itself failed (an upstream transformation threw): that is the root cause,
            // even if the process then exited non-zero because its input ended early.
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("Feeding the input of " + String.join(" ", command) + " failed: " + failure, failure);
        }
        if (status != 0 && failOnNonZeroExit) {
            List<String> lines;
            synchronized (tail) {
                lines = new ArrayList<>(tail);
            }
            throw new SubprocessFailedException(command, status, lines);
        }
    }
}
