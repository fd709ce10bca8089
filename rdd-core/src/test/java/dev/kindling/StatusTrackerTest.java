package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link KindlingContext#statusTracker()}: Spark's status tracker, read while a job is blocked and after. */
class StatusTrackerTest {

    private static volatile CountDownLatch release;

    @Test
    void whenAJobIsBlockedMidWay_thenTheTrackerShowsItsRunningStageAndAfterwardsItsSuccess() throws Exception {
        release = new CountDownLatch(1);
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            StatusTracker tracker = kc.statusTracker();
            kc.setJobGroup("tracked", "a job blocked in map partition 0");
            FutureAction<List<Pair<Integer, Integer>>> action = kc.parallelize(
                    IntStream.range(0, 8).boxed().toList(), 4).mapToPair(x -> {
                        if (x < 2) { // partition 0 holds 0 and 1
                            release.await();
                        }
                        return new Pair<>(x % 3, 1);
                    }).reduceByKey(Integer::sum, 2).collectAsync();
            kc.clearJobGroup();
            try {
                int[] group = awaitValue(() -> tracker.getJobIdsForGroup("tracked"), ids -> ids.length == 1);
                int jobId = group[0];
                StatusTracker.JobInfo running = tracker.getJobInfo(jobId).orElseThrow();
                assertEquals(StatusTracker.JobStatus.RUNNING, running.status());
                assertEquals(2, running.stageIds().size(), running.toString());
                int mapStage = running.stageIds().get(0);
                int resultStage = running.stageIds().get(1);
                StatusTracker.StageInfo map = awaitValue(() -> tracker.getStageInfo(mapStage),
                        s -> s.isPresent() && s.get().numCompletedTasks() == 3).orElseThrow();
                assertEquals(new StatusTracker.StageInfo(mapStage, 0, map.name(), 4, 1, 3, 0), map);
                assertArrayEquals(new int[] {jobId}, tracker.getActiveJobIds());
                assertArrayEquals(new int[] {mapStage}, tracker.getActiveStageIds());
                assertEquals(Optional.empty(), tracker.getStageInfo(resultStage), "not submitted yet");
                assertEquals(0, tracker.getJobIdsForGroup(null).length, "no job without a group ran");

                release.countDown();
                Map<Integer, Integer> expected = IntStream.range(0, 8).boxed()
                        .collect(Collectors.groupingBy(x -> x % 3, TreeMap::new, Collectors.summingInt(x -> 1)));
                Map<Integer, Integer> actual = new TreeMap<>();
                action.get(30, TimeUnit.SECONDS).forEach(p -> actual.put(p.key(), p.value()));
                assertEquals(expected, actual);

                assertEquals(Optional.of(new StatusTracker.JobInfo(jobId, List.of(mapStage, resultStage),
                        StatusTracker.JobStatus.SUCCEEDED)), tracker.getJobInfo(jobId));
                assertArrayEquals(new int[0], tracker.getActiveJobIds());
                assertArrayEquals(new int[0], tracker.getActiveStageIds());
                assertEquals(new StatusTracker.StageInfo(mapStage, 0, map.name(), 4, 0, 4, 0),
                        tracker.getStageInfo(mapStage).orElseThrow());
                StatusTracker.StageInfo result = tracker.getStageInfo(resultStage).orElseThrow();
                assertEquals(List.of(2, 0, 2, 0), List.of(result.numTasks(), result.numActiveTasks(),
                        result.numCompletedTasks(), result.numFailedTasks()));
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void whenAJobFails_thenItIsFailedWithItsFailedTaskCountedAndUnknownIdsAreEmpty() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            assertThrows(JobFailedException.class, () -> kc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
                if (x == 4) {
                    throw new IllegalStateException("element 4 is bad");
                }
                return x;
            }).collect());
            StatusTracker tracker = kc.statusTracker();
            int[] noGroup = tracker.getJobIdsForGroup(null);
            assertEquals(1, noGroup.length);
            StatusTracker.JobInfo job = tracker.getJobInfo(noGroup[0]).orElseThrow();
            assertEquals(StatusTracker.JobStatus.FAILED, job.status());
            StatusTracker.StageInfo stage = tracker.getStageInfo(job.stageIds().get(0)).orElseThrow();
            assertEquals(1, stage.numFailedTasks(), stage.toString()); // local[2] tries a task once
            assertEquals(2, stage.numTasks());
            assertEquals(Optional.empty(), tracker.getJobInfo(noGroup[0] + 100));
            assertEquals(Optional.empty(), tracker.getStageInfo(-1));
            assertArrayEquals(new int[0], tracker.getActiveJobIds());
        }
    }

    @Test
    void whenMoreJobsAndStagesEndThanRetained_thenTheOldestFinishedAreForgottenAndActiveOnesKept() {
        StatusTracker tracker = new StatusTracker(3, 2);
        var events = tracker.listener();
        events.onJobStart(new SchedulerEvent.JobStart(0, 0, "kept running", null, List.of(0)));
        events.onStageSubmitted(new SchedulerEvent.StageSubmitted(0, new SchedulerEvent.StageInfo(0, 0, "s0", 1, false)));
        for (int id = 1; id <= 6; id++) {
            events.onJobStart(new SchedulerEvent.JobStart(0, id, "job " + id, "g", List.of(id)));
            events.onStageSubmitted(new SchedulerEvent.StageSubmitted(0,
                    new SchedulerEvent.StageInfo(id, 0, "s" + id, 1, false)));
            events.onStageCompleted(new SchedulerEvent.StageCompleted(0,
                    new SchedulerEvent.StageInfo(id, 0, "s" + id, 1, false), null));
            events.onJobEnd(new SchedulerEvent.JobEnd(0, id, null));
        }
        assertArrayEquals(new int[] {4, 5, 6}, tracker.getJobIdsForGroup("g"), "the last 3 finished jobs");
        assertArrayEquals(new int[] {0}, tracker.getActiveJobIds());
        assertTrue(tracker.getJobInfo(0).isPresent(), "an active job is never dropped");
        assertEquals(Optional.empty(), tracker.getStageInfo(4));
        assertTrue(tracker.getStageInfo(5).isPresent() && tracker.getStageInfo(6).isPresent());
        assertArrayEquals(new int[] {0}, tracker.getActiveStageIds());
    }

    /** Polls {@code value} until {@code done} accepts it; the 30 s bound only guards against a hang. */
    private static <T> T awaitValue(java.util.function.Supplier<T> value, java.util.function.Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T v = value.get();
        while (!done.test(v)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; last value " + v);
            }
            Thread.sleep(5);
            v = value.get();
        }
        return v;
    }
}
