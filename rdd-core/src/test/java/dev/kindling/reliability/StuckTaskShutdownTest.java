package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobCancelledException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reliability figure 6: a task that swallows interrupts cannot block {@code close()} for longer
 * than {@code kindling.executor.shutdownTimeoutMs}; the stuck thread is named in a WARN log.
 */
class StuckTaskShutdownTest {

    private static volatile boolean release;
    private static final AtomicReference<String> TASK_THREAD = new AtomicReference<>();
    private static volatile CountDownLatch started;

    @Test
    void whenATaskIgnoresInterruption_thenCloseReturnsAfterTheTimeoutAndNamesTheStuckThread() throws Exception {
        release = false;
        started = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            KindlingContext kc = Kindling.builder().master("local[2]")
                    .config(KindlingConf.SHUTDOWN_TIMEOUT_MS, "200").build();
            Future<List<Integer>> job = caller.submit(() -> kc.parallelize(List.of(1), 1).map(x -> {
                TASK_THREAD.set(Thread.currentThread().getName());
                started.countDown();
                while (!release) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException swallowed) {
                        // deliberately ignores the kill
                    }
                }
                return x;
            }).collect());
            assertTrue(started.await(30, TimeUnit.SECONDS));
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                kc.close();
            } finally {
                System.setErr(originalErr);
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(30, TimeUnit.SECONDS));
            assertInstanceOf(JobCancelledException.class, e.getCause());
            String warnings = log.toString(StandardCharsets.UTF_8);
            String stuck = TASK_THREAD.get();
            assertNotNull(stuck);
            assertTrue(warnings.contains("WARN") && warnings.contains(stuck)
                    && warnings.contains("ignored interruption"), "WARN log should name " + stuck + ":\n" + warnings);
            assertTrue(threadAlive(stuck), "the stuck task is still running after close returned");
        } finally {
            System.setErr(originalErr);
            release = true;
            caller.shutdownNow();
        }
        String stuck = TASK_THREAD.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (threadAlive(stuck) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(!threadAlive(stuck), "once released, the stuck executor thread ends");
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
