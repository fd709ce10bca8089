package dev.kindling.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The executor thread pool's task reaper: reports, slot hand-over, kill timeout, and the end of the stuck thread. */
class TaskReaperTest {

    private volatile boolean release;

    @Test
    void whenAKilledAttemptOutlivesTheKillTimeout_thenAnErrorIsLoggedOnceAndTheJvmKeepsRunning() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecutorThreadPool pool = new ExecutorThreadPool(1, 50, 150);
        AtomicReference<Thread> stuck = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Future<?> spinning = pool.submit(() -> {
                stuck.set(Thread.currentThread());
                started.countDown();
                while (!release) {
                    Thread.onSpinWait(); // ignores interruption on purpose
                }
            }, "task 9 (stage 4.0, partition 2, attempt 0) of job 3");
            assertTrue(started.await(30, TimeUnit.SECONDS));
            spinning.cancel(true);
            // Runs although the only thread is stuck: the reaper gave its slot to a new thread.
            CountDownLatch ran = new CountDownLatch(1);
            pool.submit(ran::countDown, "next").get(30, TimeUnit.SECONDS);
            assertEquals(0, ran.getCount());
            String log = awaitLog(err, l -> l.contains("ERROR") && l.contains("killTimeoutMs=150"));
            assertTrue(log.contains("Killed task 9 (stage 4.0, partition 2, attempt 0) of job 3 is still running on "
                    + stuck.get().getName()), log);
            assertTrue(log.contains(TaskReaperTest.class.getName()), "the report carries the stuck stack:\n" + log);
            release = true;
            stuck.get().join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(stuck.get().isAlive(), "the abandoned thread ends once its code returns");
            log = awaitLog(err, l -> l.contains("finished on " + stuck.get().getName()));
            assertEquals(1, log.split("killTimeoutMs=150", -1).length - 1, "the timeout is reported once:\n" + log);
            assertThrows(java.util.concurrent.CancellationException.class, spinning::get);
        } finally {
            release = true;
            System.setErr(original);
            assertEquals(List.of(), pool.shutdown(10_000));
        }
    }

    /** Polls the captured log until {@code done} accepts it; the 30 s bound only guards against a hang. */
    private static String awaitLog(ByteArrayOutputStream err, Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String log = err.toString(StandardCharsets.UTF_8);
        while (!done.test(log)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected report not logged:\n" + log);
            }
            Thread.sleep(10);
            log = err.toString(StandardCharsets.UTF_8);
        }
        return log;
    }
}
