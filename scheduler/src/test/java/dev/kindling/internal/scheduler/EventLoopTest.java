package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's event loop. Bug: a job submitted while the context was closing could be queued
 * after the event thread had exited, and then waited forever; now the loop runs what was queued
 * before it stopped and tells later posters that their event may not run.
 */
class EventLoopTest {

    @Test
    void whenEventsArePostedBeforeStop_thenAllRunInOrderEvenIfOneThrows() {
        EventLoop loop = new EventLoop("kindling-test-event-loop", e -> { });
        List<Integer> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            assertTrue(loop.post(() -> {
                ran.add(n);
                if (n == 50) {
                    throw new IllegalStateException("event 50 fails");
                }
            }));
        }
        loop.stop(10_000);
        assertEquals(100, ran.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, ran.get(i));
        }
    }

    @Test
    void whenAnEventThrows_thenItsOwnHandlerOrElseTheFallbackGetsTheThrowableAndTheLoopGoesOn() {
        List<String> fallback = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop("kindling-test-event-loop", e -> fallback.add(e.getMessage()));
        loop.post(() -> {
            throw new OutOfMemoryError("handled by the event");
        }, e -> handled.add(e.getMessage()));
        loop.post(() -> {
            throw new StackOverflowError("no handler");
        });
        loop.post(() -> {
            throw new IllegalStateException("handler throws");
        }, e -> {
            throw new IllegalArgumentException("handler bug");
        });
        List<Integer> after = new CopyOnWriteArrayList<>();
        loop.post(() -> after.add(1));
        loop.stop(10_000);
        assertEquals(List.of("handled by the event"), handled);
        assertEquals(List.of("no handler", "handler throws"), fallback);
        assertEquals(List.of(1), after, "the loop went on after the failures");
    }

    @Test
    void whenAnEventIsPostedAfterTheLoopStopped_thenPostSaysItMayNotRun() throws InterruptedException {
        EventLoop loop = new EventLoop("kindling-test-event-loop", e -> { });
        loop.stop(10_000);
        CountDownLatch ran = new CountDownLatch(1);
        assertFalse(loop.post(ran::countDown));
        assertEquals(1, ran.getCount(), "nothing runs events any more");
    }

    @Test
    void whenTheEventThreadIsInterrupted_thenTheLoopKeepsRunning() throws InterruptedException {
        EventLoop loop = new EventLoop("kindling-test-event-loop", e -> { });
        Thread[] thread = new Thread[1];
        CountDownLatch first = new CountDownLatch(1);
        loop.post(() -> {
            thread[0] = Thread.currentThread();
            first.countDown();
        });
        assertTrue(first.await(10, TimeUnit.SECONDS));
        thread[0].interrupt();
        CountDownLatch second = new CountDownLatch(1);
        loop.post(second::countDown);
        assertTrue(second.await(10, TimeUnit.SECONDS));
        loop.stop(10_000);
        thread[0].join(10_000);
        assertFalse(thread[0].isAlive());
    }
}
