package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bug: stage ids were handed out result stage first, so a job's first stage to run had the highest
 * id and the console bar counted down. Spark numbers a job's parent stages before the stages that
 * read them; these tests read the numbering from listener events.
 */
class StageNumberingTest {

    @Test
    void whenAJobReadsTwoShufflesInARow_thenStageIdsGrowFromTheFirstMapStageToTheResultStage() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            TestLineage source = TestLineage.source(4, 25, 10);
            TestLineage first = TestLineage.shuffled(source, h.store, 3);
            TestLineage second = TestLineage.shuffled(first, h.store, 2);
            long[] sums = new long[2];
            JobHandle job = h.submitSum(second, sums);
            h.runAll();
            job.await();
            assertEquals(100, Arrays.stream(sums).sum());

            assertEquals(List.of(0, 1, 2), h.events(SchedulerEvent.JobStart.class).get(0).stageIds());
            List<SchedulerEvent.StageInfo> submitted = h.events(SchedulerEvent.StageSubmitted.class).stream()
                    .map(SchedulerEvent.StageSubmitted::stage).toList();
            assertEquals(List.of(0, 1, 2), submitted.stream().map(SchedulerEvent.StageInfo::stageId).toList(),
                    "stages run in id order, parents first");
            assertEquals(List.of(4, 3, 2), submitted.stream().map(SchedulerEvent.StageInfo::numTasks).toList(),
                    "stage 0 maps the source (4 partitions), stage 1 the first shuffle's 3, stage 2 is the result");
            assertEquals(List.of(true, true, false), submitted.stream().map(SchedulerEvent.StageInfo::shuffleMap).toList());
            h.assertIdle();
        }
    }

    @Test
    void whenAStageReadsTwoShufflesAndAnotherJobFollows_thenParentsHaveLowerIdsAndNewStagesContinueTheCount() {
        try (SchedulerHarness h = new SchedulerHarness(1)) {
            TestLineage left = TestLineage.source(2, 10, 5);
            TestLineage right = TestLineage.source(3, 10, 5);
            TestLineage joined = TestLineage.shuffled(List.of(left, right), h.store, 2);
            TestLineage regrouped = TestLineage.shuffled(joined, h.store, 4);
            JobHandle job = h.submitSum(regrouped, new long[4]);
            h.runAll();
            job.await();
            List<SchedulerEvent.StageInfo> submitted = h.events(SchedulerEvent.StageSubmitted.class).stream()
                    .map(SchedulerEvent.StageSubmitted::stage).toList();
            assertEquals(4, submitted.size(), submitted.toString());
            int leftMap = idOfMapStageWithTasks(submitted, 2);
            int rightMap = idOfMapStageWithTasks(submitted, 3);
            int joinedMap = submitted.stream().filter(s -> s.shuffleMap() && s.numTasks() == 2 && s.stageId() != leftMap)
                    .findFirst().orElseThrow().stageId();
            int result = submitted.stream().filter(s -> !s.shuffleMap()).findFirst().orElseThrow().stageId();
            assertTrue(leftMap < joinedMap && rightMap < joinedMap && joinedMap < result, submitted.toString());
            assertEquals(List.of(0, 1, 2, 3), h.events(SchedulerEvent.JobStart.class).get(0).stageIds());

            // A second job on the same lineage skips the map stages (their output exists): one new
            // stage, numbered after everything before it.
            JobHandle again = h.submitSum(regrouped, new long[4]);
            h.runAll();
            again.await();
            List<Integer> secondStages = h.events(SchedulerEvent.JobStart.class).get(1).stageIds();
            assertEquals(1, secondStages.size(), secondStages.toString());
            assertTrue(secondStages.get(0) > result, secondStages + " after " + result);
            assertFalse(h.events(SchedulerEvent.StageSubmitted.class).stream().skip(4)
                    .anyMatch(s -> s.stage().shuffleMap()), "no map stage re-runs");
            h.assertIdle();
        }
    }

    private static int idOfMapStageWithTasks(List<SchedulerEvent.StageInfo> stages, int numTasks) {
        return stages.stream().filter(s -> s.shuffleMap() && s.numTasks() == numTasks).findFirst().orElseThrow()
                .stageId();
    }
}
