package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerEvent.JobEnd;
import dev.kindling.scheduler.SchedulerEvent.JobStart;
import dev.kindling.scheduler.SchedulerEvent.StageCompleted;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.SchedulerEvent.TaskStart;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability figure 9: job, stage and task events arrive in a sensible order and carry metrics that
 * match a hand-computed reference (records read per partition, distinct keys written per map task,
 * shuffle records read per reduce task).
 */
@ExtendWith(LocalContext.class)
class ListenerEventsTest {

    private static final int MAPS = 5;
    private static final int REDUCERS = 3;

    @Test
    void whenAReduceByKeyJobRuns_thenEventsAreOrderedAndMetricsMatchTheReference(KindlingContext kc) {
        Random random = new Random(7);
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            data.add(random.nextInt(random.nextBoolean() ? 40 : 400));
        }
        EventRecorder recorder = new EventRecorder();
        kc.addListener(recorder);
        Map<Integer, Long> counts = kc.parallelize(data, MAPS).mapToPair(x -> Pair.of(x, 1L))
                .reduceByKey(Long::sum, REDUCERS).collectAsMap();
        List<SchedulerEvent> events = recorder.events();

        // Reference: the slices parallelize makes, their distinct keys, and where each key goes.
        List<Set<Integer>> distinctPerMap = new ArrayList<>();
        List<Integer> sizePerMap = new ArrayList<>();
        for (int m = 0; m < MAPS; m++) {
            List<Integer> slice = data.subList(m * data.size() / MAPS, (m + 1) * data.size() / MAPS);
            sizePerMap.add(slice.size());
            distinctPerMap.add(new HashSet<>(slice));
        }
        long[] shuffleReadPerReducer = new long[REDUCERS];
        long[] keysPerReducer = new long[REDUCERS];
        for (Set<Integer> keys : distinctPerMap) {
            for (int k : keys) {
                shuffleReadPerReducer[Math.floorMod(Integer.hashCode(k), REDUCERS)]++;
            }
        }
        for (int k : new HashSet<>(data)) {
            keysPerReducer[Math.floorMod(Integer.hashCode(k), REDUCERS)]++;
        }
        assertEquals(data.stream().collect(Collectors.groupingBy(x -> x, Collectors.counting())), counts);

        // Order.
        assertInstanceOf(JobStart.class, events.get(0));
        assertInstanceOf(JobEnd.class, events.get(events.size() - 1));
        JobEnd end = (JobEnd) events.get(events.size() - 1);
        assertTrue(end.succeeded());
        JobStart start = (JobStart) events.get(0);
        assertEquals(end.jobId(), start.jobId());
        List<StageSubmitted> submitted = recorder.of(StageSubmitted.class);
        List<StageCompleted> completed = recorder.of(StageCompleted.class);
        assertEquals(2, submitted.size());
        assertEquals(2, completed.size());
        assertTrue(submitted.get(0).stage().shuffleMap() && !submitted.get(1).stage().shuffleMap());
        assertEquals(new HashSet<>(start.stageIds()), Set.of(submitted.get(0).stage().stageId(),
                submitted.get(1).stage().stageId()));
        assertTrue(events.indexOf(completed.get(0)) < events.indexOf(submitted.get(1)),
                "the map stage completes before the reduce stage is submitted");
        for (StageCompleted c : completed) {
            assertNull(c.failureReason());
        }
        Map<Long, Integer> startIndex = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            SchedulerEvent e = events.get(i);
            if (e instanceof TaskStart s) {
                assertTrue(i > indexOfSubmitted(events, s.stageId()), "task start after its stage's submission");
                startIndex.put(s.task().taskId(), i);
            } else if (e instanceof TaskEnd t) {
                Integer s = startIndex.get(t.task().taskId());
                assertTrue(s != null && s < i, "task end after its start: " + t);
                assertTrue(i < indexOfCompleted(events, t.stageId()), "task end before its stage completes");
            }
        }

        // Metrics.
        int mapStage = submitted.get(0).stage().stageId();
        List<TaskEnd> ends = recorder.of(TaskEnd.class);
        assertEquals(MAPS + REDUCERS, ends.size());
        for (TaskEnd t : ends) {
            assertTrue(t.succeeded());
            assertTrue(t.metrics().runNanos() > 0, "run time recorded: " + t.metrics());
            assertTrue(!t.task().executorThread().isEmpty());
            int p = t.task().partition();
            if (t.stageId() == mapStage) {
                assertEquals((long) sizePerMap.get(p), t.metrics().recordsRead(), "records read by map task " + p);
                assertEquals(distinctPerMap.get(p).size(), t.metrics().shuffleRecordsWritten(),
                        "map-side combine writes one record per distinct key of map task " + p);
                assertTrue(t.metrics().shuffleBytesWritten() > 0);
            } else {
                assertEquals(shuffleReadPerReducer[p], t.metrics().shuffleRecordsRead(), "reduce task " + p);
                assertTrue(t.metrics().shuffleBytesRead() > 0);
                assertEquals(keysPerReducer[p], t.metrics().recordsWritten(), "records a result task consumed");
            }
        }
    }

    @Test
    void whenAJobHasNoPartitions_thenItStartsAndEndsWithoutStagesOrTasks(KindlingContext kc) {
        EventRecorder recorder = new EventRecorder();
        kc.addListener(recorder);
        assertEquals(List.of(), kc.emptyRDD().collect());
        // Zero partitions asked of an RDD with a shuffle behind it: its map stage must not run either.
        var shuffled = kc.parallelize(List.of(1, 2, 3), 2).mapToPair(x -> Pair.of(x, 1)).reduceByKey(Integer::sum, 2);
        assertEquals(List.of(), kc.runJob(shuffled.rdd(), (ctx, it) -> 1, new int[0]));
        List<SchedulerEvent> events = recorder.events();
        assertEquals(4, events.size(), events.toString());
        for (int job = 0; job < 2; job++) {
            JobStart start = assertInstanceOf(JobStart.class, events.get(2 * job));
            assertEquals(List.of(), start.stageIds());
            JobEnd end = assertInstanceOf(JobEnd.class, events.get(2 * job + 1));
            assertTrue(end.succeeded());
            assertEquals(start.jobId(), end.jobId());
        }
    }

    @Test
    void whenAShuffleHasNoMapPartitions_thenTheReduceSideIsEmpty(KindlingContext kc) {
        assertEquals(List.of(), kc.<Integer>emptyRDD().mapToPair(x -> Pair.of(x, 1)).reduceByKey(Integer::sum, 2)
                .collect());
        assertEquals(0L, kc.<Integer>emptyRDD().mapToPair(x -> Pair.of(x, 1)).groupByKey(3).count());
    }

    private static int indexOfSubmitted(List<SchedulerEvent> events, int stageId) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof StageSubmitted s && s.stage().stageId() == stageId) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int indexOfCompleted(List<SchedulerEvent> events, int stageId) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof StageCompleted s && s.stage().stageId() == stageId) {
                return i;
            }
        }
        return -1;
    }
}
