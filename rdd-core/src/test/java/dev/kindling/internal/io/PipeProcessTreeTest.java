package dev.kindling.internal.io;

import dev.kindling.SubprocessFailedException;
import dev.kindling.SubprocessTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.testing.LocalContext;
import dev.kindling.testing.MarkedProcesses;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10, processes and clean-up: a command that starts children of its own ({@code sh -c "a | b"},
 * {@code a & exit 3}) is killed with its whole process tree when its task is cancelled, fails, times
 * out or its context closes, or when the JVM gets SIGTERM; the executor threads come back and the
 * next job runs. Every test counts the processes carrying its marker, wherever they were reparented.
 */
@ExtendWith(LocalContext.class)
class PipeProcessTreeTest {

    /** Liveness bound for a job that, before the fix, hung until its sleep ended (17 minutes). */
    private static final long PATIENCE_MILLIS = 120_000;
    /** Both executor threads of a local[2] context meet here, which only free threads can do. */
    private static volatile CyclicBarrier bothThreads;

    private final MarkedProcesses marked = new MarkedProcesses();

    @AfterEach
    void killLeftovers() {
        marked.close();
    }

    /** {@code sh -c "sleep M | tr M M"}: three marked processes; tr, a child of sh, holds the task's stdout open. */
    private List<String> pipeline() {
        String m = marked.marker();
        return List.of("sh", "-c", "sleep " + m + " | tr " + m + " " + m);
    }

    private static Iterator<String> endless() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                return "an input line that nobody reads";
            }
        };
    }

    /** Runs {@code body} on its own thread and returns its outcome; fails if it has not ended after two minutes. */
    private static <T> T within(Callable<T> body) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                outcome.set(new Object[] {body.call()});
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "bounded-test-body");
        t.setDaemon(true);
        t.start();
        t.join(PATIENCE_MILLIS);
        assertFalse(t.isAlive(), "still running after " + PATIENCE_MILLIS + " ms: a thread is blocked on a process");
        if (outcome.get() instanceof Throwable e) {
            if (e instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) ((Object[]) outcome.get())[0];
        return value;
    }

    /** The next job runs normally: both executor threads take a task at once, and a pipe gives the right answer. */
    private static void assertNextJobsRun(KindlingContext kc) throws Exception {
        bothThreads = new CyclicBarrier(2);
        assertEquals(List.of(1, 2), within(() -> kc.parallelize(List.of(1, 2), 2).map(x -> {
            bothThreads.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
            return x;
        }).collect()));
        List<String> words = IntStream.range(0, 500).mapToObj(i -> "w" + i).collect(Collectors.toList());
        assertEquals(words, within(() -> kc.parallelize(words, 2).pipe("cat").collect()));
    }

    @Test
    void whenTheJobGroupIsCancelled_thenEveryProcessOfThePipelineIsKilledAndTheThreadsComeBack(KindlingContext kc)
            throws Exception {
        List<String> command = pipeline();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            kc.setJobGroup("tree", "a pipeline that never ends");
            try {
                // Endless input that nothing reads: each pipe's writer thread blocks on a full stdin while
                // its task thread blocks on a stdout that tr holds open.
                kc.parallelize(List.of(0, 1), 2).<String>mapPartitions(it -> endless()).pipe(command).count();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        runner.start();
        marked.awaitRunning(6);
        kc.cancelJobGroup("tree");
        runner.join(PATIENCE_MILLIS);
        assertFalse(runner.isAlive());
        assertInstanceOf(JobCancelledException.class, failure.get());
        marked.assertNoneLeft();
        assertPipeThreadsEnd();
        assertNextJobsRun(kc);
    }

    /** Waits (at most the test's patience) until no pipe writer or stderr thread is left in this JVM. */
    private static void assertPipeThreadsEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (true) {
            List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).filter(n -> n.startsWith("kindling-pipe-")).collect(Collectors.toList());
            if (left.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "pipe threads still running: " + left);
            Thread.sleep(20);
        }
    }

    /** Elements made by {@link #slowEndless()}: they stop coming once the writer thread has stopped. */
    private static final AtomicLong MADE = new AtomicLong();

    /**
     * An endless input that takes 10 ms per (two-byte) line, as an expensive upstream transformation
     * would: the writer's 64 KiB buffer fills only every 5 minutes, so a writer that is not told to
     * stop goes on computing it long after the command is dead.
     */
    private static Iterator<String> slowEndless() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                LockSupport.parkNanos(10_000_000);
                MADE.incrementAndGet();
                return "x";
            }
        };
    }

    @Test
    void whenCancelledWhileTheInputIsStillBeingComputed_thenTheWriterStopsComputingIt(KindlingContext kc) throws Exception {
        String m = marked.marker();
        List<String> command = List.of("sh", "-c", "cat | tr " + m + " " + m);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            kc.setJobGroup("slow-input", "an input that never ends");
            try {
                kc.parallelize(List.of(0), 1).<String>mapPartitions(it -> slowEndless()).pipe(command).count();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        runner.start();
        marked.awaitRunning(2);
        while (MADE.get() < 5) {
            Thread.sleep(5);
        }
        kc.cancelJobGroup("slow-input");
        runner.join(PATIENCE_MILLIS);
        assertFalse(runner.isAlive());
        assertInstanceOf(JobCancelledException.class, failure.get());
        marked.assertNoneLeft();
        assertPipeThreadsEnd();
        long made = MADE.get();
        Thread.sleep(50); // five elements' time: none may come now
        assertEquals(made, MADE.get(), "the input was still being computed after the cancel");
        assertNextJobsRun(kc);
    }

    @Test
    void whenTheCommandExitsNonZeroWhileItsChildStillRuns_thenTheTaskFailsAtOnceAndTheChildIsKilled(KindlingContext kc)
            throws Exception {
        // sh exits at once; the background sleep keeps the task's stdout open.
        List<String> command = List.of("sh", "-c", "sleep " + marked.marker() + " & echo 'gave up' >&2; exit 3");
        JobFailedException e = within(() -> assertThrows(JobFailedException.class,
                () -> kc.parallelize(List.of("a", "b"), 1).pipe(command).collect()));
        SubprocessFailedException cause = findCause(e, SubprocessFailedException.class);
        assertNotNull(cause, String.valueOf(e));
        assertEquals(3, cause.exitCode());
        assertTrue(cause.stderrTail().contains("gave up"), cause.stderrTail().toString());
        marked.assertNoneLeft();
        assertNextJobsRun(kc);
    }

    @Test
    void whenAPipeReportsNothingForItsTimeout_thenItIsKilledWithItsChildrenAndTheTaskSaysSo() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.TASK_MAX_FAILURES, "1")
                .config(Pipe.TIMEOUT_MS, "1000").build()) {
            JobFailedException e = within(() -> assertThrows(JobFailedException.class,
                    () -> kc.parallelize(List.of("a", "b"), 1).pipe(pipeline()).collect()));
            SubprocessTimeoutException cause = findCause(e, SubprocessTimeoutException.class);
            assertNotNull(cause, String.valueOf(e));
            assertTrue(cause.getMessage().contains("timed out after 1000 ms")
                    && cause.getMessage().contains(Pipe.TIMEOUT_MS), cause.getMessage());
            marked.assertNoneLeft();
            assertNextJobsRun(kc);
        }
    }

    @Test
    void whenTheContextClosesWhileAPipelineRuns_thenCloseReturnsAndNothingIsLeft() throws Exception {
        // close() waits for executor threads up to the shutdown timeout: make that longer than the test's patience,
        // so close() returning shows the threads really came back.
        KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.SHUTDOWN_TIMEOUT_MS, Long.toString(10 * PATIENCE_MILLIS)).build();
        try {
            List<String> command = pipeline();
            Thread runner = new Thread(() -> {
                try {
                    kc.parallelize(List.of(0, 1), 2).pipe(command).count();
                } catch (RuntimeException expected) {
                    // cancelled by close()
                }
            });
            runner.start();
            marked.awaitRunning(6);
            within(() -> {
                kc.close();
                return null;
            });
            runner.join(PATIENCE_MILLIS);
            assertFalse(runner.isAlive());
            marked.assertNoneLeft();
        } finally {
            marked.close();
            kc.close();
        }
    }

    @Test
    void whenTheJvmGetsSigterm_thenTheProcessTreesOfRunningPipesDie() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PipeUnderSigterm.class.getName(), marked.marker())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            marked.awaitRunning(7); // the JVM (the marker is its argument) and two pipelines of three
            jvm.destroy(); // SIGTERM
            assertTrue(jvm.waitFor(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
            marked.assertNoneLeft();
        } finally {
            jvm.destroyForcibly();
        }
    }

    static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
