package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the shuffle GC trigger asks for a collection: by the shuffle bytes written since the last one. */
class ShuffleGcTriggerTest {

    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicLong heap = new AtomicLong();

    private ShuffleGcTrigger trigger(long minBytes) {
        return new ShuffleGcTrigger(minBytes, collections::incrementAndGet, heap::get);
    }

    private static void taskWrote(ShuffleGcTrigger t, long bytes) {
        TaskMetrics metrics = new TaskMetrics();
        metrics.addShuffleWrite(1, bytes);
        t.onTaskEnd(new SchedulerEvent.TaskEnd(0, 0, 0, new SchedulerEvent.TaskInfo(0, 0, 0, "t", "driver", null),
                metrics, "SUCCESS", null));
    }

    private static void jobEnded(ShuffleGcTrigger t) {
        t.onJobEnd(new SchedulerEvent.JobEnd(0, 0, null));
    }

    @Test
    void aJobEndAsksForACollectionOnceTheShuffleBytesSinceTheLastOneReachTheMinimum() {
        ShuffleGcTrigger t = trigger(100);
        taskWrote(t, 60);
        jobEnded(t);
        assertEquals(0, collections.get(), "60 of 100 bytes");
        taskWrote(t, 30);
        taskWrote(t, 10);
        assertEquals(0, collections.get(), "only a job's end collects");
        jobEnded(t);
        assertEquals(1, collections.get(), "100 bytes since the start");
        jobEnded(t);
        assertEquals(1, collections.get(), "nothing written since");
        taskWrote(t, 99);
        jobEnded(t);
        assertEquals(1, collections.get(), "the count restarted at the collection");
    }

    @Test
    void afterACollectionHalfOfTheHeapThenInUseMustBeWrittenToo() {
        ShuffleGcTrigger t = trigger(100);
        heap.set(1000); // in use after the collection it is about to make
        taskWrote(t, 100);
        jobEnded(t);
        assertEquals(1, collections.get());
        taskWrote(t, 499);
        jobEnded(t);
        assertEquals(1, collections.get(), "499 bytes is less than half of the 1000 live after the last");
        taskWrote(t, 1);
        jobEnded(t);
        assertEquals(2, collections.get());
    }

    @Test
    void aNegativeSettingIsRejectedWhenTheContextStartsAndZeroTurnsTheTriggerOff() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.builder()
                .master("local[1]").config(ShuffleGcTrigger.MIN_BYTES, "-1").build());
        assertTrue(e.getMessage().startsWith("kindling.cleaner.shuffleGcBytes must be 0 (off)"), e.getMessage());
        try (KindlingContext kc = Kindling.builder().master("local[1]").config(ShuffleGcTrigger.MIN_BYTES, "0")
                .config("kindling.ui.enabled", "false").build()) {
            assertEquals(6, kc.parallelize(java.util.List.of(1, 2, 3), 2).mapToPair(x -> Pair.of(x % 2, x))
                    .reduceByKey(Integer::sum).values().reduce(Integer::sum));
        }
        assertThrows(IllegalArgumentException.class, () -> trigger(0), "0 means no trigger at all");
    }
}
