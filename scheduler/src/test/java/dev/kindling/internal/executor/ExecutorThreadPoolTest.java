package dev.kindling.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The executor thread pool: thread naming, interruption and bounded shutdown. */
class ExecutorThreadPoolTest {

    /**
     * Bug: shutdown reported threads that had finished their last task but not yet exited as
     * "ignoring interruption", and left them running after close.
     */
    @Test
    void whenTasksEndPromptly_thenShutdownReportsNothingStuckAndEveryExecutorThreadHasExited() throws Exception {
        for (int round = 0; round < 50; round++) {
            ExecutorThreadPool pool = new ExecutorThreadPool(2);
            List<Future<?>> futures = new ArrayList<>();
            Set<Thread> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> used.add(Thread.currentThread())));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), pool.shutdown(10_000), "round " + round);
            for (Thread t : used) {
                assertTrue(t.getName().startsWith("kindling-executor-"), t.getName());
                assertFalse(t.isAlive(), t.getName() + " still alive after shutdown returned");
            }
        }
    }

    @Test
    void whenATaskIgnoresInterruption_thenShutdownGivesUpAfterTheTimeoutAndNamesItsThread() throws Exception {
        ExecutorThreadPool pool = new ExecutorThreadPool(2);
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> stuck = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(() -> {
            stuck.set(Thread.currentThread());
            started.countDown();
            while (!release.get()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ignored) {
                    // swallowed on purpose
                }
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        try {
            List<String> reported = pool.shutdown(100);
            assertEquals(1, reported.size(), reported.toString());
            assertTrue(reported.get(0).startsWith(stuck.get().getName() + " (at "), reported.get(0));
        } finally {
            release.set(true);
        }
        stuck.get().join(10_000);
        assertFalse(stuck.get().isAlive());
        Set<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .collect(Collectors.toSet());
        assertFalse(names.contains(stuck.get().getName()));
    }
}
