package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.eventlog.ApplicationInfo;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskKilledException;
import dev.kindling.scheduler.TaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The status store, fed events directly: its state is what the events say (counts and totals checked
 * against sums over the events themselves), and it stays within its limits while totals stay exact.
 */
class StatusStoreTest {

    private static final ApplicationInfo APP = new ApplicationInfo(1, "local-1-0", "store test", 1L, "me", "v",
            Map.of("kindling.master", "local[2]", "db.password", "hunter2"));

    private long taskIds;
    private long clock = 1_000;

    private static SchedulerEvent.RddInfo rdd(int id, String level, Integer... parents) {
        return new SchedulerEvent.RddInfo(id, "rdd" + id, "rdd" + id + " at Test.java:" + id, 4, level, List.of(parents));
    }

    private static SchedulerEvent.StageInfo stage(int id, int attempt, int tasks, List<Integer> parents,
                                                  SchedulerEvent.RddInfo... rdds) {
        return new SchedulerEvent.StageInfo(id, attempt, "stage " + id, tasks, parents.isEmpty(),
                parents, List.of(rdds));
    }

    private static TaskMetrics metrics(Random random) {
        TaskMetrics m = new TaskMetrics();
        m.addRecordsRead(random.nextInt(1000));
        m.addShuffleWrite(random.nextInt(100), random.nextInt(10_000));
        m.addShuffleRead(random.nextInt(100), random.nextInt(10_000));
        return m;
    }

    /** Runs {@code tasks} tasks of a stage attempt; the i-th ends as {@code outcome(i)}; returns the events. */
    private List<SchedulerEvent> runTasks(SchedulerEvent.StageInfo s, int tasks, java.util.function.IntFunction<Throwable> outcome,
                                          Random random) {
        List<SchedulerEvent> events = new ArrayList<>();
        events.add(new SchedulerEvent.StageSubmitted(clock++, s));
        for (int i = 0; i < tasks; i++) {
            SchedulerEvent.TaskInfo t = new SchedulerEvent.TaskInfo(taskIds++, i, 0, "executor-" + (i % 2));
            events.add(new SchedulerEvent.TaskStart(clock++, s.stageId(), s.attempt(), t));
            events.add(new SchedulerEvent.TaskEnd(clock++, s.stageId(), s.attempt(), t, metrics(random), null,
                    outcome.apply(i)));
        }
        Throwable anyFailure = IntStream.range(0, tasks).mapToObj(outcome).filter(f -> f != null).findFirst().orElse(null);
        events.add(new SchedulerEvent.StageCompleted(clock++, s, anyFailure == null ? null : "task failed"));
        return events;
    }

    @Test
    void whenAJobRunsAMapAndAResultStage_thenJobsStagesTasksExecutorsAndCachedRddsAreWhatTheEventsSay() {
        StatusStore store = new StatusStore(APP, StatusStore.Limits.DEFAULT, 2);
        Random random = new Random(42);
        SchedulerEvent.StageInfo map = stage(0, 0, 6, List.of(), rdd(1, "NONE", 0), rdd(0, "MEMORY_ONLY"));
        SchedulerEvent.StageInfo result = stage(1, 0, 4, List.of(0), rdd(2, "NONE", 1));
        List<SchedulerEvent> events = new ArrayList<>();
        events.add(new SchedulerEvent.JobStart(clock++, 0, "my job", "group", List.of(0, 1), List.of(map, result)));
        events.addAll(runTasks(map, 6, i -> null, random));
        events.addAll(runTasks(result, 4, i -> i == 1 ? new IllegalStateException("boom")
                : i == 2 ? new TaskKilledException("cancelled") : null, random));
        events.add(new SchedulerEvent.JobEnd(clock++, 0, new IllegalStateException("boom")));
        events.forEach(e -> e.deliverTo(store));

        List<SchedulerEvent.TaskEnd> ends = events.stream().filter(e -> e instanceof SchedulerEvent.TaskEnd)
                .map(e -> (SchedulerEvent.TaskEnd) e).toList();
        store.read(() -> {
            UiJob job = store.jobs.get(0);
            assertEquals("FAILED", job.status);
            assertEquals("my job", job.description);
            assertEquals(10, job.numTasks);
            assertEquals(8, job.completedTasks);
            assertEquals(1, job.failedTasks);
            assertEquals(1, job.killedTasks);
            assertEquals(0, job.activeTasks);
            assertEquals(1, job.completedStages);
            assertEquals(1, job.failedStages);
            assertTrue(job.failure.contains("boom"), job.failure);

            UiStage m = store.stages.get(UiStage.key(0, 0));
            UiStage r = store.stages.get(UiStage.key(1, 0));
            assertEquals("COMPLETE", m.status);
            assertEquals("FAILED", r.status);
            assertEquals(List.of(0), r.parentIds);
            assertEquals(List.of(0), r.jobIds);
            assertEquals(6, m.tasks.size());
            assertEquals(2, r.completedTasks);
            assertEquals(1, r.failedTasks);
            assertEquals(1, r.killedTasks);
            UiTask killed = r.tasks.values().stream().filter(t -> t.partition == 2).findFirst().orElseThrow();
            assertEquals("KILLED", killed.status);
            UiTask failed = r.tasks.values().stream().filter(t -> t.partition == 1).findFirst().orElseThrow();
            assertEquals("FAILED", failed.status);
            assertTrue(failed.errorMessage.contains("boom"));
            for (UiStage s : List.of(m, r)) {
                List<SchedulerEvent.TaskEnd> mine = ends.stream().filter(e -> e.stageId() == s.stageId).toList();
                assertEquals(mine.stream().mapToLong(e -> e.metrics().recordsRead()).sum(), s.totals.inputRecords);
                assertEquals(mine.stream().mapToLong(e -> e.metrics().shuffleBytesWritten()).sum(), s.totals.shuffleWriteBytes);
                assertEquals(mine.stream().mapToLong(e -> e.metrics().shuffleBytesRead()).sum(), s.totals.shuffleReadBytes);
            }

            UiExecutor driver = store.executors.get(StatusStore.DRIVER);
            assertEquals(1, store.executors.size());
            assertEquals(2, driver.cores);
            assertEquals(8, driver.completedTasks);
            assertEquals(1, driver.failedTasks);
            assertEquals(1, driver.killedTasks);
            assertEquals(0, driver.activeTasks);
            assertEquals(ends.stream().mapToLong(e -> e.metrics().shuffleRecordsRead()).sum(),
                    driver.totals.shuffleReadRecords);

            assertEquals(List.of(0), List.copyOf(store.persistedRdds.keySet()), "only the cached RDD is listed");
            assertEquals("MEMORY_ONLY", store.persistedRdds.get(0).storageLevel());
            return null;
        });
    }

    @Test
    void whenMoreJobsAndStagesFinishThanRetained_thenTheOldestFinishedAreDroppedAndRunningOnesKept() {
        StatusStore store = new StatusStore(APP, new StatusStore.Limits(3, 4, 100), 1);
        Random random = new Random(1);
        // Job 0 stays running the whole time, with its stage 0 active.
        SchedulerEvent.StageInfo longStage = stage(0, 0, 1, List.of(), rdd(0, "NONE"));
        new SchedulerEvent.JobStart(clock++, 0, null, null, List.of(0), List.of(longStage)).deliverTo(store);
        new SchedulerEvent.StageSubmitted(clock++, longStage).deliverTo(store);
        for (int j = 1; j <= 10; j++) {
            SchedulerEvent.StageInfo s = stage(j, 0, 2, List.of(), rdd(j, "NONE"));
            new SchedulerEvent.JobStart(clock++, j, null, null, List.of(j), List.of(s)).deliverTo(store);
            runTasks(s, 2, i -> null, random).forEach(e -> e.deliverTo(store));
            new SchedulerEvent.JobEnd(clock++, j, null).deliverTo(store);
        }
        store.read(() -> {
            assertEquals(List.of(0, 8, 9, 10), List.copyOf(store.jobs.keySet()));
            assertEquals(7, store.droppedJobs);
            assertEquals("RUNNING", store.jobs.get(0).status);
            List<Integer> stageIds = store.stages.values().stream().map(s -> s.stageId).toList();
            assertEquals(List.of(0, 7, 8, 9, 10), stageIds);
            assertEquals(6, store.droppedStages);
            UiExecutor driver = store.executors.get(StatusStore.DRIVER);
            assertEquals(20, driver.completedTasks, "executor totals count every task, kept or not");
            return null;
        });
    }

    @Test
    void whenAStageRunsMoreTasksThanRetained_thenTheNewestAreKeptAndCountsAndTotalsStayExact() {
        StatusStore store = new StatusStore(APP, new StatusStore.Limits(10, 10, 5), 1);
        Random random = new Random(7);
        SchedulerEvent.StageInfo s = stage(0, 0, 20, List.of(), rdd(0, "NONE"));
        new SchedulerEvent.JobStart(clock++, 0, null, null, List.of(0), List.of(s)).deliverTo(store);
        List<SchedulerEvent> events = runTasks(s, 20, i -> null, random);
        events.forEach(e -> e.deliverTo(store));
        long inputRecords = events.stream().filter(e -> e instanceof SchedulerEvent.TaskEnd)
                .mapToLong(e -> ((SchedulerEvent.TaskEnd) e).metrics().recordsRead()).sum();
        store.read(() -> {
            UiStage stage = store.stages.get(UiStage.key(0, 0));
            assertEquals(List.of(15, 16, 17, 18, 19), stage.tasks.values().stream().map(t -> t.partition).toList());
            assertEquals(15, stage.droppedTasks);
            assertEquals(20, stage.completedTasks);
            assertEquals(inputRecords, stage.totals.inputRecords);
            return null;
        });
    }

    @Test
    void whenEventsNameAStageOrJobItDoesNotKnow_thenTheyAreIgnored() {
        StatusStore store = new StatusStore(APP, StatusStore.Limits.DEFAULT, 1);
        SchedulerEvent.TaskInfo t = new SchedulerEvent.TaskInfo(1, 0, 0, "x");
        new SchedulerEvent.TaskStart(1, 5, 0, t).deliverTo(store);
        new SchedulerEvent.TaskEnd(2, 5, 0, t, null, null, null).deliverTo(store);
        new SchedulerEvent.StageCompleted(3, stage(5, 0, 1, List.of()), null).deliverTo(store);
        new SchedulerEvent.JobEnd(4, 9, null).deliverTo(store);
        store.read(() -> {
            assertTrue(store.jobs.isEmpty());
            assertTrue(store.stages.isEmpty());
            assertNull(store.jobsOfStage.get(5));
            assertEquals(1, store.executors.get(StatusStore.DRIVER).completedTasks);
            return null;
        });
    }
    @Test
    void whenExecutorsJoinRunTasksAndLeave_thenEachHasARowWithItsOwnTasksAndTheReasonItLeft() {
        StatusStore store = new StatusStore(APP, StatusStore.Limits.DEFAULT, 4);
        List<SchedulerEvent> events = new ArrayList<>();
        events.add(new SchedulerEvent.ExecutorAdded(clock++, "driver", "10.0.0.1", 7077, 0));
        events.add(new SchedulerEvent.ExecutorAdded(clock++, "0", "10.0.0.1", 40001, 2));
        events.add(new SchedulerEvent.ExecutorAdded(clock++, "1", "10.0.0.1", 40002, 2));
        SchedulerEvent.StageInfo s = stage(0, 0, 9, List.of());
        events.add(new SchedulerEvent.StageSubmitted(clock++, s));
        Random random = new Random(7);
        for (int i = 0; i < 9; i++) {
            String executor = i % 3 == 0 ? "1" : "0";
            SchedulerEvent.TaskInfo t = new SchedulerEvent.TaskInfo(taskIds++, i, 0, "task-" + i, executor);
            events.add(new SchedulerEvent.TaskStart(clock++, 0, 0, t));
            events.add(new SchedulerEvent.TaskEnd(clock++, 0, 0, t, metrics(random), null,
                    i == 4 ? new IllegalStateException("lost") : null));
        }
        events.add(new SchedulerEvent.ExecutorRemoved(clock++, "1", "its process (pid 42) exited with code 137"));
        events.forEach(e -> e.deliverTo(store));
        store.read(() -> {
            assertEquals(List.of("driver", "0", "1"), List.copyOf(store.executors.keySet()));
            UiExecutor driver = store.executors.get("driver");
            assertEquals(0, driver.cores);
            assertEquals("10.0.0.1:7077", driver.hostPort);
            assertEquals(0, driver.totalTasks());
            for (String id : List.of("0", "1")) {
                UiExecutor e = store.executors.get(id);
                List<SchedulerEvent.TaskEnd> mine = events.stream().filter(x -> x instanceof SchedulerEvent.TaskEnd t
                        && t.task().executorId().equals(id)).map(x -> (SchedulerEvent.TaskEnd) x).toList();
                assertEquals(mine.size(), e.totalTasks(), id);
                assertEquals(mine.stream().filter(SchedulerEvent.TaskEnd::succeeded).count(), e.completedTasks, id);
                assertEquals(mine.stream().filter(t -> !t.succeeded()).count(), e.failedTasks, id);
                assertEquals(mine.stream().mapToLong(t -> t.metrics().shuffleBytesWritten()).sum(),
                        e.totals.shuffleWriteBytes, id);
                assertEquals(2, e.cores);
            }
            assertTrue(store.isActive(store.executors.get("0")));
            UiExecutor dead = store.executors.get("1");
            assertTrue(!store.isActive(dead));
            assertEquals("its process (pid 42) exited with code 137", dead.removeReason);
            assertEquals(events.get(events.size() - 1).time(), dead.removeTime);
            assertEquals(4, store.executorEvents.size(), "three added, one removed, for the timeline");
            assertEquals("0", store.stages.get(UiStage.key(0, 0)).tasks.get(1L).executorId);
            assertEquals("10.0.0.1", store.stages.get(UiStage.key(0, 0)).tasks.get(1L).host);
            return null;
        });
        store.applicationEnded(clock++);
        assertTrue(!store.read(() -> store.isActive(store.executors.get("0"))), "nothing is active after the end");
    }
}
