package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent.StageCompleted;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lost map outputs, for real: map outputs are files ({@code kindling.shuffle.forceDisk}), and a test
 * deletes some of them, or tells the scheduler an executor is gone. The reduce tasks that need a
 * deleted file fail with a {@link FetchFailedException}; the scheduler forgets only that output in
 * the map output tracker, re-runs exactly the lost map tasks (counted through a listener), then the
 * reduce stage; the result equals a {@code java.util.stream} reference. A stage whose input keeps
 * going missing aborts the job after 4 attempts, with the fetch failure as cause.
 */
class FetchFailureRecoveryTest {

    private static final int MAPS = 6;
    private static final List<Integer> DATA = IntStream.range(0, 5_000).boxed().collect(Collectors.toList());
    private static final Map<Integer, Integer> EXPECTED = DATA.stream()
            .collect(Collectors.groupingBy(x -> x % 17, TreeMap::new, Collectors.summingInt(x -> x)));

    private KindlingContext kc;
    private PairRDD<Integer, Integer> reduced;
    private int shuffleId;
    private final EventRecorder events = new EventRecorder();

    @BeforeEach
    void start() {
        kc = Kindling.builder().master("local[2]").config("kindling.shuffle.forceDisk", "true")
                .config("kindling.task.maxFailures", "4").build();
        reduced = kc.parallelize(DATA, MAPS).mapToPair(x -> Pair.of(x % 17, x)).reduceByKey(Integer::sum, 4);
        shuffleId = ((ShuffleDependency) reduced.rdd().dependencies().get(0)).shuffleId();
    }

    @AfterEach
    void stop() {
        try {
            LocalContext.assertSchedulerIdle(kc);
        } finally {
            kc.close();
        }
    }

    private Map<Integer, Integer> run() {
        return new TreeMap<>(reduced.collectAsMap());
    }

    /** Deletes the files of map output {@code mapId} (the map output itself stays registered). */
    private void deleteMapOutputFiles(int mapId) {
        try (Stream<Path> files = Files.list(kc.localDir().resolve("shuffle"))) {
            List<Path> output = files.filter(f -> f.getFileName().toString()
                    .startsWith("shuffle_" + shuffleId + "_" + mapId + "_")).collect(Collectors.toList());
            assertTrue(!output.isEmpty(), "map output " + mapId + " has files");
            for (Path f : output) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Partitions of the map tasks that succeeded, sorted. */
    private List<Integer> mapTasksRun() {
        Set<Integer> mapStages = events.of(StageSubmitted.class).stream().filter(e -> e.stage().shuffleMap())
                .map(e -> e.stage().stageId()).collect(Collectors.toSet());
        return events.of(TaskEnd.class).stream().filter(e -> mapStages.contains(e.stageId()) && e.succeeded())
                .map(e -> e.task().partition()).sorted().collect(Collectors.toList());
    }

    private List<FetchFailedException> fetchFailures() {
        return events.of(TaskEnd.class).stream().filter(e -> !e.succeeded())
                .map(e -> Failures.find(e.failure(), FetchFailedException.class))
                .filter(f -> f != null).collect(Collectors.toList());
    }

    private MapOutputTracker tracker() {
        return ContextInternals.of(kc).scheduler().mapOutputTracker();
    }

    @Test
    void whenAMapOutputFileIsDeletedBetweenJobs_thenTheReduceTaskFetchFails_andOnlyThatMapTaskReruns() {
        assertEquals(EXPECTED, run());
        kc.addListener(events);
        deleteMapOutputFiles(2);

        assertEquals(EXPECTED, run());
        assertEquals(List.of(2), mapTasksRun());
        List<FetchFailedException> failures = fetchFailures();
        assertTrue(!failures.isEmpty(), "the reduce stage met the lost output");
        for (FetchFailedException f : failures) {
            assertEquals(List.of(shuffleId, 2), List.of(f.shuffleId(), f.mapId()));
            // A reader that asks the tracker after the first failure unregistered the output finds no location
            // (executor null): the same lost output, met a moment later.
            assertTrue(f.executorId() == null || ExecutorLocation.DRIVER_ID.equals(f.executorId()), f.toString());
        }
        // The first reader to find the file gone names it (and removes the output; later readers find none).
        assertTrue(failures.stream().anyMatch(f -> f.getMessage().contains("shuffle_" + shuffleId + "_2_")
                && f.getMessage().contains(" is gone")), failures.toString());
        assertTrue(events.of(StageCompleted.class).stream().anyMatch(e -> "missing shuffle output".equals(e.failureReason())));
    }

    /**
     * More lost outputs than a stage has consecutive attempts (4): the first reader names them all, so
     * one failed attempt has every one recomputed (before, each attempt recovered one output and the
     * fourth aborted the job).
     */
    @Test
    void whenEveryMapOutputFileIsDeleted_thenOneFailedAttemptHasThemAllRecomputed() {
        assertEquals(EXPECTED, run());
        kc.addListener(events);
        for (int m = 0; m < MAPS; m++) {
            deleteMapOutputFiles(m);
        }

        assertEquals(EXPECTED, run());
        assertEquals(IntStream.range(0, MAPS).boxed().toList(), mapTasksRun());
        assertTrue(!fetchFailures().isEmpty(), "the reduce stage met the lost outputs");
        long failedReduceStageAttempts = events.of(StageCompleted.class).stream()
                .filter(e -> "missing shuffle output".equals(e.failureReason())).count();
        assertEquals(1, failedReduceStageAttempts, "one failed attempt of the reduce stage named every lost output");
    }

    @Test
    void whenAMapOutputFileIsDeletedAfterTheReduceStageWasSubmitted_thenOnlyThatMapTaskRunsAgain() {
        kc.addListener(events);
        AtomicBoolean deleted = new AtomicBoolean();
        kc.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                if (!event.stage().shuffleMap() && deleted.compareAndSet(false, true)) {
                    deleteMapOutputFiles(4); // on the event thread, before the reduce tasks start
                }
            }
        });

        assertEquals(EXPECTED, run());
        assertEquals(List.of(0, 1, 2, 3, 4, 4, 5), mapTasksRun(), "6 map tasks, then map task 4 again");
        assertTrue(fetchFailures().stream().allMatch(f -> f.mapId() == 4));
    }

    @Test
    void whenAnExecutorIsLost_thenExactlyTheMapOutputsItHeldAreRecomputed_beforeAnyReduceTaskReadsThem() {
        assertEquals(EXPECTED, run());
        // Say map outputs 1 and 3 were written by a second executor, then lose that executor.
        MapStatus[] statuses = tracker().statuses(shuffleId, MAPS);
        ExecutorLocation other = new ExecutorLocation("exec-2", "localhost", 0);
        for (int m : new int[] {1, 3}) {
            tracker().registerMapOutput(shuffleId, MAPS, m, new MapStatus(other, statuses[m].sizes()));
        }
        kc.addListener(events);
        ContextInternals.of(kc).scheduler().executorLost("exec-2");

        assertEquals(EXPECTED, run());
        assertEquals(List.of(1, 3), mapTasksRun());
        assertEquals(List.of(), fetchFailures(), "the tracker knew before the reduce stage started");
        for (MapStatus s : tracker().statuses(shuffleId, MAPS)) {
            assertEquals(ExecutorLocation.DRIVER, s.location());
        }
    }

    @Test
    void whenTheDriversExecutorIsLost_thenEveryMapTaskRunsAgain() {
        assertEquals(EXPECTED, run());
        kc.addListener(events);
        ContextInternals.of(kc).scheduler().executorLost(ExecutorLocation.DRIVER_ID);
        assertEquals(EXPECTED, run());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), mapTasksRun());
    }

    @Test
    void whenShuffleInputKeepsGoingMissing_thenTheJobAbortsAfterFourStageAttempts_withTheFetchFailureAsCause() {
        kc.addListener(events);
        kc.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                if (!event.stage().shuffleMap()) {
                    deleteMapOutputFiles(0);
                }
            }
        });
        JobFailedException e = assertThrows(JobFailedException.class, this::run);
        FetchFailedException cause = Failures.find(e, FetchFailedException.class);
        assertNotNull(cause, "cause chain " + Failures.chain(e));
        assertEquals(0, cause.mapId());
        assertTrue(e.getMessage().contains("kept going missing: 4 times in a row"), e.getMessage());
        long failedAttempts = events.of(StageCompleted.class).stream()
                .filter(s -> !s.stage().shuffleMap() && s.failureReason() != null).count();
        assertEquals(4, failedAttempts);
    }
}
