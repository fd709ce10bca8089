package dev.kindling.internal.io;

import dev.kindling.StreamingCounters;
import dev.kindling.SubprocessFailedException;
import dev.kindling.SubprocessTimeoutException;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskKilledException;
import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task attempt's command, from start to clean-up: its process tree, the thread that writes its
 * stdin, the thread that reads its stderr, and a watchdog. Package-private; {@link SubprocessPipe}
 * is the API.
 *
 * <p>Rules (the review list for changes here):
 * <ol>
 *   <li>Every process the command starts is killed when the attempt ends, however it ends (a
 *       completion listener kills the whole {@link ProcessTree}, TERM then KILL).</li>
 *   <li>The watchdog (one shared thread, every {@value #TICK_MILLIS} ms) kills the tree as soon as
 *       the attempt is killed or its thread interrupted (cancel, context close), the command has been
 *       idle longer than its timeout, or the command exited non-zero while children it started still
 *       run. Killing the tree closes every copy of the pipes, which unblocks the task thread (reading
 *       stdout) and the writer and stderr threads.</li>
 *   <li>No thread waits for the process without looking at the stop reason at least every
 *       {@value #TICK_MILLIS} ms; the one exception is a read of stdout, which the watchdog's kill ends.</li>
 *   <li>Idle means: no stdout line consumed, no stdin write, no stderr line. Hadoop counts any stderr
 *       line as progress too.</li>
 *   <li>A stopped attempt never succeeds: a killed attempt throws {@link TaskKilledException}, a timed
 *       out one {@link SubprocessTimeoutException}, one killed at JVM shutdown an
 *       {@link IllegalStateException}, whatever the exit status, so truncated output is never committed.</li>
 * </ol>
 */
final class PipeProcess {

    private static final Logger LOG = LoggerFactory.getLogger(PipeProcess.class);
    static final long TICK_MILLIS = 100;
    /** Snapshots of the tree are taken every this many ticks (see {@link ProcessTree#members()}). */
    private static final int SNAPSHOT_TICKS = 10;
    /** How long a pipe thread may outlive the whole tree before it is given up on (something outside holds its pipe). */
    private static final long ORPHAN_THREAD_MILLIS = 2_000;
    private static final int STDERR_TAIL = 20;
    private static final String REPORTER = "reporter:";
    /** Watches running commands and kills stopped ones; its one thread exits a second after the last pipe ends. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = newWatchdog();

    /** Why the tree was killed before the command finished by itself. */
    enum Stop { KILLED, TIMED_OUT, EXITED_NON_ZERO }

    private final List<String> command;
    private final String name;
    private final String attempt;
    /** Whether stderr lines go to the log as they come (else only into {@link #tail}). */
    private final boolean logStderr;
    private final TaskContext task;
    private final Thread taskThread;
    private final ProcessTree tree;
    private final boolean failOnNonZeroExit;
    private final long timeoutMillis;
    private final String timeoutSetting;
    private final Thread writer;
    private final Thread stderr;
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final ScheduledFuture<?> watch;
    /** Activity counts, each written by one thread: stdout lines consumed, stdin writes, stderr lines. */
    private final Count out = new Count();
    private final Count in = new Count();
    private final Count err = new Count();
    private volatile Stop stop;
    private volatile boolean ended;
    /** Set by the reader once the command exited successfully and its output was read to the end. */
    private volatile boolean finished;
    // Watchdog thread only:
    private long lastActivity = -1;
    private long lastChangeNanos = System.nanoTime();
    private int ticks;

    PipeProcess(List<String> command, ProcessTree tree, SubprocessPipe.InputWriter input, TaskContext task,
                StreamingCounters counters, boolean failOnNonZeroExit, long timeoutMillis, String timeoutSetting,
                String attempt, boolean logStderr) {
        this.command = command;
        this.name = String.join(" ", command);
        this.attempt = attempt;
        this.logStderr = logStderr;
        this.task = task;
        this.taskThread = Thread.currentThread();
        this.tree = tree;
        this.failOnNonZeroExit = failOnNonZeroExit;
        this.timeoutMillis = timeoutMillis;
        this.timeoutSetting = timeoutSetting;
        Process process = tree.root();
        this.writer = new Thread(() -> writeInput(new CountingOutput(process.getOutputStream()), input),
                "kindling-pipe-stdin-" + task.taskAttemptId());
        writer.setDaemon(true);
        this.stderr = new Thread(() -> readStderr(process.getErrorStream(), counters),
                "kindling-pipe-stderr-" + task.taskAttemptId());
        stderr.setDaemon(true);
        this.watch = WATCHDOG.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        task.addCompletionListener(this::end);
        writer.start();
        stderr.start();
    }

    private static ScheduledThreadPoolExecutor newWatchdog() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kindling-subprocess-watchdog");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setKeepAliveTime(1, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The command's stdout. */
    InputStream stdout() {
        return tree.root().getInputStream();
    }

    /** The command as one string, for messages. */
    String name() {
        return name;
    }

    /** Counts one stdout line consumed (activity); called by the thread reading stdout. */
    void lineRead() {
        out.increment();
    }

    /** Whether the tree was killed early (the reader then stops and calls {@link #finish()}). */
    boolean stopped() {
        return stop != null || tree.killedAtShutdown();
    }

    // ---- the watchdog ----

    private void tick() {
        if (ended) {
            return;
        }
        try {
            if (stop == null) {
                Process root = tree.root();
                if (task.isKilled() || taskThread.isInterrupted()) {
                    stop(Stop.KILLED);
                } else if (failOnNonZeroExit && !root.isAlive() && root.exitValue() != 0) {
                    stop(Stop.EXITED_NON_ZERO);
                } else if (timeoutMillis > 0) {
                    long activity = out.get() + in.get() + err.get();
                    long now = System.nanoTime();
                    if (activity != lastActivity) {
                        lastActivity = activity;
                        lastChangeNanos = now;
                    } else if (now - lastChangeNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                        stop(Stop.TIMED_OUT);
                    }
                }
            }
            if (stop == null && ++ticks % SNAPSHOT_TICKS == 0) {
                tree.members();
            }
        } catch (RuntimeException e) {
            LOG.warn("Watching {} failed: {}", name, e.toString(), e);
        }
    }

    /** Kills the tree without blocking the watchdog: TERM now, KILL rounds after the grace period. */
    private void stop(Stop why) {
        synchronized (this) {
            if (stop != null) {
                return;
            }
            stop = why;
        }
        if (why != Stop.EXITED_NON_ZERO) {
            writer.interrupt(); // it may be waiting in upstream code; its failure then no longer matters
        }
        if (tree.terminate()) {
            LOG.info("Killing {} and every process it started: {}", name, switch (why) {
                case KILLED -> "its task was killed";
                case TIMED_OUT -> "it timed out after " + timeoutMillis + " ms";
                case EXITED_NON_ZERO -> "it exited with status " + tree.root().exitValue() + " while processes it started still run";
            });
            killAfterGrace();
        }
    }

    /** KILLs what is left of the tree after the grace period, in rounds on the watchdog until nothing is. */
    private void killAfterGrace() {
        WATCHDOG.schedule(new Runnable() {
            private int rounds;

            @Override
            public void run() {
                if (tree.kill() && ++rounds < 100) {
                    WATCHDOG.schedule(this, TICK_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        }, ProcessTree.GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The completion listener. When the command finished by itself, what it may have left running
     * (rare: a background process with its output redirected) is killed on the watchdog, so the task
     * does not wait for a look at every process of the machine. Otherwise (killed, failed, output not
     * read to the end) the tree is killed before the attempt is over.
     */
    private void end() {
        ended = true;
        watch.cancel(false);
        writer.interrupt();
        if (finished) {
            WATCHDOG.execute(() -> {
                if (tree.terminate()) {
                    LOG.info("Killing what {} left running after it exited: {}", name, tree.members());
                    killAfterGrace();
                }
            });
        } else {
            tree.destroy(5_000);
        }
    }

    // ---- the end of the output ----

    /**
     * Called by the reader once stdout has ended (or the tree was stopped): waits for the command and
     * the pipe threads, then throws if the attempt was stopped, its input failed or the command failed.
     */
    void finish() {
        Process root = tree.root();
        try {
            while (!root.waitFor(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                checkStopped();
            }
            join(writer, "stdin");
            join(stderr, "stderr");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(Stop.KILLED);
        }
        checkStopped();
        Throwable failure = writerFailure.get();
        if (failure != null && !(failure instanceof IOException)) {
            // The input iterator itself failed (an upstream transformation threw): that is the root cause,
            // even if the process then exited non-zero because its input ended early.
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("Feeding the input of " + name + " failed: " + failure, failure);
        }
        int status = root.exitValue();
        if (status != 0 && failOnNonZeroExit) {
            List<String> lines;
            synchronized (tail) {
                lines = new ArrayList<>(tail);
            }
            throw new SubprocessFailedException(command, status, lines);
        }
        finished = true;
    }

    /** Waits for a pipe thread while it may still have work: until it ends, or the tree has been gone a while. */
    private void join(Thread t, String stream) throws InterruptedException {
        long goneSince = 0;
        while (t.isAlive()) {
            t.join(TICK_MILLIS);
            if (!t.isAlive()) {
                return;
            }
            checkStopped();
            if (!tree.members().isEmpty()) {
                goneSince = 0;
            } else if (goneSince == 0) {
                goneSince = System.nanoTime();
            } else if (System.nanoTime() - goneSince > TimeUnit.MILLISECONDS.toNanos(ORPHAN_THREAD_MILLIS)) {
                LOG.warn("Every process of {} has exited, but its {} is still open {} ms later: a process that left its"
                        + " process tree holds it. Not waiting for it any longer.", name, stream, ORPHAN_THREAD_MILLIS);
                return;
            }
        }
    }

    /** Throws if the tree was killed because the attempt was killed, timed out or the JVM is shutting down. */
    void checkStopped() {
        Stop why = stop;
        if (why == Stop.KILLED || task.isKilled()) {
            task.checkKilled();
            throw new TaskKilledException("task " + task.taskAttemptId() + " (stage " + task.stageId() + ", partition "
                    + task.partitionId() + ") was killed while running " + name);
        }
        if (why == Stop.TIMED_OUT) {
            throw new SubprocessTimeoutException(command, attempt, timeoutMillis, timeoutSetting);
        }
        if (tree.killedAtShutdown()) {
            throw new IllegalStateException("The JVM is shutting down: " + name + " was killed with every process it started");
        }
    }

    // ---- the pipe threads ----

    private void writeInput(OutputStream stdin, SubprocessPipe.InputWriter input) {
        try {
            input.writeTo(stdin);
        } catch (Throwable t) {
            // Recorded before stdin closes, so the reader sees it when the command exits for lack of input.
            writerFailure.set(t);
        } finally {
            try {
                stdin.close();
            } catch (IOException e) {
                // The command has stopped reading: nothing more to tell it.
            }
        }
    }

    private void readStderr(InputStream stream, StreamingCounters counters) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                err.increment();
                if (line.startsWith(REPORTER)) {
                    SubprocessPipe.handleReporterLine(line.substring(REPORTER.length()), task, counters, name);
                    continue;
                }
                if (logStderr) {
                    LOG.info("[{}] {}", name, line);
                }
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

    /** The command's stdin: counts writes as activity and refuses them once the attempt has stopped. */
    private final class CountingOutput extends FilterOutputStream {
        CountingOutput(OutputStream stdin) {
            super(stdin);
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
            in.increment();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
            in.increment();
        }

        private void check() throws IOException {
            if (stop != null || ended) {
                throw new IOException("the command's input was closed: " + name + " was stopped");
            }
        }
    }

    /** A count one thread increments and the watchdog reads, with no fence on the incrementing side. */
    private static final class Count {
        private static final VarHandle N;

        static {
            try {
                N = MethodHandles.lookup().findVarHandle(Count.class, "n", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long n;

        void increment() {
            N.setOpaque(this, n + 1);
        }

        long get() {
            return (long) N.getOpaque(this);
        }
    }
}
