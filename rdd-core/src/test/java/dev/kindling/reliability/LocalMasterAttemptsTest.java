package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.TaskContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: local masters retried a failing task 4 times. Spark's local mode tries a task once
 * ({@code local}, {@code local[N]}, {@code local[*]}); {@code local[N,F]} allows F attempts; and
 * {@code kindling.task.maxFailures} still overrides what the master implies.
 */
class LocalMasterAttemptsTest {

    /** Attempts of partition 0 seen by the failing function. */
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @BeforeEach
    void reset() {
        ATTEMPTS.set(0);
    }

    /** Runs a job whose partition 0 fails while its attempt number is below {@code failUntil}. */
    private static List<Integer> runFailing(KindlingContext kc, int failUntil) {
        return kc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 0 && x == 1) {
                ATTEMPTS.incrementAndGet();
                if (task.attemptNumber() < failUntil) {
                    throw new IllegalStateException("injected failure, attempt " + task.attemptNumber());
                }
            }
            return x * 10;
        }).collect();
    }

    private static int attemptsUntilFailure(String master, String maxFailures) {
        Kindling.Builder builder = Kindling.builder().master(master);
        if (maxFailures != null) {
            builder.config("kindling.task.maxFailures", maxFailures);
        }
        try (KindlingContext kc = builder.build()) {
            JobFailedException e = assertThrows(JobFailedException.class, () -> runFailing(kc, Integer.MAX_VALUE));
            assertTrue(e.getMessage().contains("failed " + ATTEMPTS.get() + " time(s)"), e.getMessage());
            return ATTEMPTS.getAndSet(0);
        }
    }

    @Test
    void localMastersTryATaskOnce() {
        assertEquals(1, attemptsUntilFailure("local", null));
        assertEquals(1, attemptsUntilFailure("local[2]", null));
        assertEquals(1, attemptsUntilFailure("local[*]", null));
    }

    @Test
    void localWithFailuresAllowsThatManyAttempts() {
        assertEquals(3, attemptsUntilFailure("local[2,3]", null));
        assertEquals(2, attemptsUntilFailure("local[*, 2]", null));
        try (KindlingContext kc = Kindling.builder().master("local[2,3]").build()) {
            assertEquals(List.of(10, 20, 30, 40), runFailing(kc, 2), "fails twice, the third attempt succeeds");
            assertEquals(3, ATTEMPTS.get());
        }
    }

    @Test
    void maxFailuresOverridesTheMaster() {
        assertEquals(2, attemptsUntilFailure("local[2]", "2"));
        assertEquals(1, attemptsUntilFailure("local[2,5]", "1"));
    }

    @Test
    void aMasterWithZeroAttemptsIsRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kindling.builder().master("local[2,0]").build().close());
        assertTrue(e.getMessage().contains("F (attempts per task) >= 1"), e.getMessage());
    }
}
