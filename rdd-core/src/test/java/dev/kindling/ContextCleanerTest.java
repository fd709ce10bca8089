package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The context's Cleaner: actions run once their object is unreachable, or at close, exactly once. */
class ContextCleanerTest {

    private static final long GC_WAIT_NANOS = 30_000_000_000L;

    @Test
    void whenTheWatchedObjectBecomesUnreachable_thenItsActionRunsOnceAndTheOthersWait() throws Exception {
        AtomicInteger droppedRuns = new AtomicInteger();
        AtomicInteger keptRuns = new AtomicInteger();
        try (ContextCleaner cleaner = new ContextCleaner("test-unreachable")) {
            Object kept = new Object();
            cleaner.register(kept, "kept", keptRuns::incrementAndGet);
            registerDropped(cleaner, droppedRuns);
            assertTrue(gcUntil(() -> droppedRuns.get() == 1), "the dropped object's action never ran");
            assertEquals(1, cleaner.pendingCount(), "only the kept object's action is pending");
            assertEquals(0, keptRuns.get());
            java.lang.ref.Reference.reachabilityFence(kept);
        }
        assertEquals(1, droppedRuns.get());
        assertEquals(1, keptRuns.get(), "close ran the pending action");
    }

    @Test
    void closeRunsEveryPendingActionOnceAndLaterRegistrationsRunAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        Object a = new Object();
        Object b = new Object();
        ContextCleaner cleaner = new ContextCleaner("test-close");
        cleaner.register(a, "a", runs::incrementAndGet);
        cleaner.register(b, "b", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("a failing action does not stop the others");
        });
        cleaner.close();
        assertEquals(2, runs.get());
        cleaner.close();
        assertEquals(2, runs.get(), "a second close runs nothing again");
        cleaner.register(a, "after close", runs::incrementAndGet);
        assertEquals(3, runs.get());
        assertEquals(0, cleaner.pendingCount());
    }

    @Test
    void closingOneContextsCleanerRunsOnlyItsOwnActions() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Object watched = new Object();
        try (ContextCleaner other = new ContextCleaner("test-other")) {
            ContextCleaner closing = new ContextCleaner("test-closing");
            closing.register(watched, "first", first::incrementAndGet);
            other.register(watched, "second", second::incrementAndGet);
            closing.close();
            assertEquals(1, first.get());
            assertEquals(0, second.get(), "the other context's action waits for its object or its close");
            assertEquals(1, other.pendingCount());
        }
        assertEquals(1, second.get());
    }

    private static void registerDropped(ContextCleaner cleaner, AtomicInteger runs) {
        cleaner.register(new int[1024], "dropped", runs::incrementAndGet);
    }

    /** Collects garbage until {@code done} holds, polling for at most 30 s; whether it held. */
    static boolean gcUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + GC_WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            System.gc();
            Thread.sleep(10);
        }
        return true;
    }
}
