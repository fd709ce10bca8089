package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.FutureAction;
import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobCancelledException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: "Cancelled tasks that ignore interruption no longer block later jobs". On
 * {@code local[1]} a cancelled task that busy-waits on a flag kept the only executor thread, so the
 * next job waited until it ended; the task reaper now reports it with its stack and hands its slot
 * to a fresh thread.
 */
class TaskReaperTest {

    private static volatile boolean release;
    private static volatile CountDownLatch started;
    private static final AtomicReference<Thread> STUCK = new AtomicReference<>();

    @Test
    void whenACancelledTaskIgnoresInterruption_thenTheReaperReportsItAndTheNextJobRunsOnAFreshThread()
            throws Exception {
        release = false;
        started = new CountDownLatch(1);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KindlingContext kc = Kindling.builder().master("local[1]")
                .config(KindlingConf.TASK_REAPER_POLLING_INTERVAL_MS, "100").build();
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            FutureAction<Long> stuckJob = kc.parallelize(List.of(1), 1).map(TaskReaperTest::spinIgnoringKills)
                    .countAsync();
            assertTrue(started.await(30, TimeUnit.SECONDS), "the stuck task started");
            stuckJob.cancel(true);
            CancellationException cancelled = assertThrows(CancellationException.class,
                    () -> stuckJob.get(30, TimeUnit.SECONDS));
            assertInstanceOf(JobCancelledException.class, cancelled.getCause());

            // Without the reaper this job would queue behind the stuck task on the only thread
            // until the flag is released below. The bound is only a hang guard.
            List<Integer> doubled = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> kc.parallelize(List.of(1, 2, 3), 1).map(x -> x * 2).collect());
            assertEquals(List.of(2, 4, 6), doubled);

            Thread stuck = STUCK.get();
            assertTrue(stuck.isAlive(), "the stuck task is still spinning");
            String report = log.toString(StandardCharsets.UTF_8);
            assertTrue(report.contains("WARN") && report.contains("Killed task ")
                    && report.contains("partition 0, attempt 0) of job 0")
                    && report.contains("is still running on " + stuck.getName())
                    && report.contains(TaskReaperTest.class.getName() + ".spinIgnoringKills"),
                    "the reaper's report names the task, its thread and where it is stuck:\n" + report);
        } finally {
            release = true;
            System.setErr(originalErr);
        }
        Thread stuck = STUCK.get();
        stuck.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(stuck.isAlive(), "once released, the abandoned thread ends");
        try {
            String prefix = stuck.getName().substring(0, stuck.getName().lastIndexOf('-') + 1);
            List<String> executors = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).map(Thread::getName).toList();
            assertEquals(1, executors.size(), "local[1] is back to one executor thread: " + executors);
            assertEquals(List.of(3L), List.of(kc.parallelize(List.of(1, 2, 3), 1).count()));
        } finally {
            kc.close();
        }
    }

    @Test
    void whenAReaperSettingIsOutOfRange_thenBuildingTheContextFailsNamingTheKey() {
        IllegalArgumentException polling = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(KindlingConf.TASK_REAPER_POLLING_INTERVAL_MS, "0").build().close());
        assertTrue(polling.getMessage().startsWith("kindling.task.reaper.pollingIntervalMs must be at least 1 ms (got 0)"),
                polling.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(KindlingConf.TASK_REAPER_KILL_TIMEOUT_MS, "-5").build().close());
        assertTrue(timeout.getMessage().startsWith("kindling.task.reaper.killTimeoutMs must be 0 (no timeout) or positive"
                + " (got -5)"), timeout.getMessage());
    }

    private static int spinIgnoringKills(int x) {
        STUCK.set(Thread.currentThread());
        started.countDown();
        long spins = 0;
        while (!release) {
            spins++; // ignores Thread.interrupted() and TaskContext.isKilled() on purpose
        }
        return x + (int) (spins & 0);
    }
}
