package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An OutOfMemoryError in a task is not retried: the job fails at once with a message naming the
 * stage's RDD and call site and the settings that help, keeps the error as its cause, and the
 * context (executor threads included) stays usable.
 */
@ExtendWith(LocalContext.class)
class OutOfMemoryInTaskTest {

    static final AtomicInteger ATTEMPTS = new AtomicInteger();
    static final Set<Thread> EXECUTORS = ConcurrentHashMap.newKeySet();

    /** An array larger than the whole heap: the allocation fails at once, without filling the heap. */
    static long[] moreThanTheHeap() {
        return new long[(int) Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 8 + 1)];
    }

    @Test
    void whenATaskRunsOutOfMemory_thenTheJobFailsAtOnceNamingTheStageAndSettings_andTheContextStaysUsable(
            KindlingContext kc) {
        Set<Thread> before = executorThreads(kc);
        assertEquals(2, before.size(), "executor threads before: " + before);
        AtomicInteger failedAttempts = new AtomicInteger();
        SchedulerListener failures = new SchedulerListener() {
            @Override
            public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                // Only the hungry partition's attempts: a sibling task killed when the job ends may
                // report a failure too, depending on timing.
                if (event.failure() != null && event.task().partition() == 2) {
                    failedAttempts.incrementAndGet();
                }
            }
        };
        kc.addListener(failures);
        ATTEMPTS.set(0);
        RDD<Long> hungry = kc.range(0, 100, 1, 4).mapPartitionsWithIndex((index, it) -> {
            if (index == 2) {
                ATTEMPTS.incrementAndGet();
                long[] huge = moreThanTheHeap();
                return List.of((long) huge.length).iterator();
            }
            return it;
        }, false);
        JobFailedException e = assertThrows(JobFailedException.class, hungry::count);
        kc.removeListener(failures);

        assertNotNull(Failures.find(e, OutOfMemoryError.class), "cause chain " + Failures.chain(e));
        String message = e.getMessage();
        for (String expected : List.of("without retrying", "ran out of heap memory", "partition 2",
                hungry.describe(), "OutOfMemoryInTaskTest.java", "kindling.memory.fraction", "kindling.memory.bytes",
                "more partitions", "-Xmx", "KINDLING_JAVA_OPTS")) {
            assertTrue(message.contains(expected), "message names \"" + expected + "\": " + message);
        }
        assertEquals(1, ATTEMPTS.get(), "the failed task is not retried");
        assertEquals(1, failedAttempts.get(), "one failed attempt of the hungry partition reported");

        // The same context runs the next job, on the same executor threads, none of which died.
        assertEquals(LongStream.range(0, 1000).map(x -> x * 3).sum(),
                kc.range(0, 1000, 1, 4).map(x -> x * 3).reduce(Long::sum));
        Set<Thread> after = executorThreads(kc);
        assertEquals(before, after, "the executor threads are the same threads, all alive");
        assertTrue(after.stream().allMatch(Thread::isAlive), "executor threads alive: " + after);
    }

    /** The live executor threads of this context's pool, found by running tasks on all of them. */
    private static Set<Thread> executorThreads(KindlingContext kc) {
        EXECUTORS.clear();
        kc.range(0, 64, 1, 64).foreachPartition(it -> EXECUTORS.add(Thread.currentThread()));
        String pool = EXECUTORS.iterator().next().getName().replaceAll("-\\d+$", "-");
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(pool) && t.isAlive())
                .collect(Collectors.toSet());
    }
}
