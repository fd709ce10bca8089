package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reliability figures 1 and 2: a task that fails once is retried once; one that always fails ends its job. */
@ExtendWith(LocalContext.class)
class TaskRetryTest {

    private static final List<Integer> DATA = IntStream.range(0, 100).boxed().collect(Collectors.toList());

    @Test
    void whenPartitionOneFailsOnItsFirstAttempt_thenEachOf100JobsIsCorrectWithExactlyOneExtraAttempt(KindlingContext kc) {
        EventRecorder events = new EventRecorder();
        kc.addListener(events);
        List<Integer> expected = DATA.stream().map(x -> x * 3).collect(Collectors.toList());
        int correct = 0;
        for (int run = 0; run < 100; run++) {
            events.clear();
            List<Integer> actual = kc.parallelize(DATA, 4).map(x -> {
                TaskContext tc = TaskContext.get();
                if (tc.partitionId() == 1 && tc.attemptNumber() == 0) {
                    throw new InjectedFailure("first attempt of partition 1");
                }
                return x * 3;
            }).collect();
            assertEquals(expected, actual, "run " + run);
            List<TaskEnd> ends = events.of(TaskEnd.class);
            assertEquals(5, ends.size(), "4 tasks + 1 retry in run " + run + ": " + ends);
            List<TaskEnd> failed = ends.stream().filter(e -> !e.succeeded()).collect(Collectors.toList());
            assertEquals(1, failed.size(), "run " + run);
            assertEquals(1, failed.get(0).task().partition());
            assertEquals(0, failed.get(0).task().attempt());
            assertTrue(failed.get(0).failure() instanceof InjectedFailure, String.valueOf(failed.get(0).failure()));
            assertEquals(1, ends.stream().filter(e -> e.succeeded() && e.task().partition() == 1
                    && e.task().attempt() == 1).count(), "run " + run);
            correct++;
        }
        assertEquals(100, correct);
    }

    @Test
    void whenATaskAlwaysFails_thenTheJobFailsAfterDefaultMaxFailuresAttemptsNamingJobStagePartitionAndAttempts(
            KindlingContext kc) {
        assertJobFailsAfter(kc, 4);
    }

    @Test
    void whenMaxFailuresIsTwo_thenTheJobFailsAfterTwoAttempts() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.TASK_MAX_FAILURES, "2")
                .build()) {
            assertJobFailsAfter(kc, 2);
            assertEquals(List.of(2, 4, 6), kc.parallelize(List.of(1, 2, 3), 2).map(x -> x * 2).collect(),
                    "the context stays usable");
            LocalContext.assertSchedulerIdle(kc);
        }
    }

    private static void assertJobFailsAfter(KindlingContext kc, int maxFailures) {
        EventRecorder events = new EventRecorder();
        kc.addListener(events);
        JobFailedException e = assertThrows(JobFailedException.class, () -> kc.parallelize(DATA, 4).map(x -> {
            TaskContext tc = TaskContext.get();
            if (tc.partitionId() == 2) {
                throw new InjectedFailure("partition 2 failed on attempt " + tc.attemptNumber());
            }
            return x;
        }).collect());
        List<TaskEnd> partition2 = events.of(TaskEnd.class).stream().filter(t -> t.task().partition() == 2)
                .collect(Collectors.toList());
        assertEquals(maxFailures, partition2.size(), "attempts of partition 2: " + partition2);
        for (int i = 0; i < maxFailures; i++) {
            assertEquals(i, partition2.get(i).task().attempt());
            assertTrue(partition2.get(i).failure() instanceof InjectedFailure);
        }
        int stageId = partition2.get(0).stageId();
        String message = e.getMessage();
        assertTrue(message.contains("Job " + e.jobId()), message);
        assertTrue(message.contains("stage " + stageId), message);
        assertTrue(message.contains("partition 2"), message);
        assertTrue(message.contains(maxFailures + " time(s)"), message);
        InjectedFailure cause = Failures.find(e, InjectedFailure.class);
        assertNotNull(cause, "cause chain " + Failures.chain(e));
        assertEquals("partition 2 failed on attempt " + (maxFailures - 1), cause.getMessage());
        assertTrue(message.contains(cause.getMessage()), message);
    }
}
