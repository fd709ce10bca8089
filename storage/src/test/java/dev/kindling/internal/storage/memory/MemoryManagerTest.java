package dev.kindling.internal.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryManagerTest {

    private static MemoryConsumer task(String name) {
        return () -> name;
    }

    @Test
    void whenBudgetIsExhausted_thenRequestsArePartiallyGrantedAndCounted() {
        MemoryManager mm = new MemoryManager(1000);
        MemoryConsumer a = task("a");
        assertEquals(600, mm.acquireExecution(a, 600));
        assertEquals(400, mm.acquireExecution(a, 600));
        assertEquals(1000, mm.executionUsed());
        assertEquals(1, mm.spillRequests());
        mm.releaseExecution(a, 300);
        assertEquals(700, mm.executionUsed());
        mm.releaseAll(a);
        assertEquals(0, mm.executionUsed());
        assertEquals(1000, mm.peakExecutionUsed());
    }

    @Test
    void eachTaskGetsAtMostItsFairShare() {
        MemoryManager mm = new MemoryManager(1000);
        MemoryConsumer a = task("a");
        MemoryConsumer b = task("b");
        assertEquals(10, mm.acquireExecution(b, 10));
        assertEquals(500, mm.acquireExecution(a, 900), "two active tasks: half the budget each");
        assertEquals(490, mm.acquireExecution(b, 900));
    }

    @Test
    void executionEvictsStorageAndSpillsIdleConsumers() {
        MemoryManager mm = new MemoryManager(1000);
        long[] storage = {800};
        mm.setStorage(new MemoryManager.Storage() {
            @Override
            public long usedBytes() {
                return storage[0];
            }

            @Override
            public void shrinkTo(long limit) {
                storage[0] = Math.min(storage[0], limit);
            }
        });
        assertEquals(200, mm.storageLimit() - 800);
        assertEquals(500, mm.acquireExecution(task("t"), 500));
        assertEquals(500, storage[0]);
        MemoryConsumer idle = new MemoryConsumer() {
            @Override
            public String describe() {
                return "idle";
            }

            @Override
            public boolean isTask() {
                return false;
            }

            @Override
            public long spill(long bytes) {
                mm.releaseAll(this);
                return bytes;
            }
        };
        storage[0] = 0;
        assertEquals(500, mm.acquireExecution(idle, 500));
        MemoryConsumer t2 = task("t2");
        assertTrue(mm.acquireExecution(t2, 400) == 400, "the idle consumer spilled to make room");
        assertEquals(0, mm.heldBy(idle));
    }

    @Test
    void whenFractionIsOutOfRange_thenErrorNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryManager.ofHeapFraction(1.5));
        assertTrue(e.getMessage().contains("kindling.memory.fraction"));
    }
}
