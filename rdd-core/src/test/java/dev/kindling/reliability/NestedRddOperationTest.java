package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.NestedRddOperationException;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: an RDD action or transformation called inside a task
 * ({@code kc.range(0, 3).map(x -> kc.range(0, x).count())}) hung forever. As in Spark (SPARK-5063)
 * it now fails the job at once, on the first attempt, with the driver-only rule in the message;
 * the context stays usable.
 */
@ExtendWith(LocalContext.class)
class NestedRddOperationTest {

    /**
     * Read through static fields, as a shell's top-level variables are: a lambda capturing the
     * context itself is refused at declaration (not serializable), a static one is not captured.
     */
    private static KindlingContext context;
    private static RDD<Long> inner;

    @AfterEach
    void forget() {
        context = null;
        inner = null;
    }

    @Test
    void anActionInsideATaskFailsTheJobAtOnceWithoutRetrying(KindlingContext kc) {
        AtomicInteger attempts = countTaskStarts(kc);
        context = kc;

        JobFailedException e = assertThrows(JobFailedException.class,
                () -> kc.range(0, 3).map(x -> context.range(0, x).count()).collect());

        NestedRddOperationException cause = rootOf(e);
        assertTrue(cause.getMessage().startsWith("RDD transformations and actions can only be invoked by the driver"),
                cause.getMessage());
        assertTrue(cause.getMessage().contains("SPARK-5063"), cause.getMessage());
        assertTrue(attempts.get() <= 3, "no retries of the failing tasks (maxFailures is 4): " + attempts.get());
        assertEquals(List.of(0L, 1L, 2L), kc.range(0, 3).collect(), "the context is still usable");
    }

    @Test
    void aCapturedRddUsedInsideATaskFailsTooForTransformationsAndActions(KindlingContext kc) {
        inner = kc.range(0, 10);

        JobFailedException action = assertThrows(JobFailedException.class,
                () -> kc.range(0, 4).map(x -> inner.count() * x).collect());
        assertInstanceOf(NestedRddOperationException.class, rootOf(action));
        assertTrue(rootOf(action).getMessage().contains("running a job"), rootOf(action).getMessage());

        JobFailedException transformation = assertThrows(JobFailedException.class,
                () -> kc.range(0, 4).map(x -> inner.map(y -> y + x).getNumPartitions()).collect());
        assertTrue(rootOf(transformation).getMessage().contains("creating MapPartitionsRDD"),
                rootOf(transformation).getMessage());
        assertEquals(45L, inner.reduce(Long::sum), "on the driver the same RDD still works");
    }

    private static NestedRddOperationException rootOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NestedRddOperationException n) {
                return n;
            }
        }
        throw new AssertionError("no NestedRddOperationException in the cause chain", e);
    }

    private static AtomicInteger countTaskStarts(KindlingContext kc) {
        AtomicInteger starts = new AtomicInteger();
        kc.addListener(new SchedulerListener() {
            @Override
            public void onTaskStart(SchedulerEvent.TaskStart event) {
                starts.incrementAndGet();
            }
        });
        return starts;
    }
}
