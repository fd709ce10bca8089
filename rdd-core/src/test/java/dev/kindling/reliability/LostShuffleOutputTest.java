package dev.kindling.reliability;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MissingShuffleOutputException;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability figure 8: a lost map output is recomputed, and only it: between two actions, and while
 * a job runs (reduce tasks then fail with {@link MissingShuffleOutputException} and the scheduler
 * re-runs the map task that made it).
 */
@ExtendWith(LocalContext.class)
class LostShuffleOutputTest {

    private static final List<Integer> DATA = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    private static final Map<Integer, Integer> EXPECTED = DATA.stream()
            .collect(Collectors.groupingBy(x -> x % 13, TreeMap::new, Collectors.summingInt(x -> x)));

    private static PairRDD<Integer, Integer> reduced(KindlingContext kc) {
        return kc.parallelize(DATA, 4).mapToPair(x -> Pair.of(x % 13, x)).reduceByKey(Integer::sum, 3);
    }

    private static int shuffleId(PairRDD<?, ?> rdd) {
        return ((ShuffleDependency) rdd.rdd().dependencies().get(0)).shuffleId();
    }

    @Test
    void whenAMapOutputIsRemovedBetweenActions_thenTheNextActionIsCorrectAndRerunsOnlyThatMapTask(
            KindlingContext kc) {
        PairRDD<Integer, Integer> reduced = reduced(kc);
        assertEquals(EXPECTED, new TreeMap<>(reduced.collectAsMap()));
        EventRecorder events = new EventRecorder();
        kc.addListener(events);
        ContextInternals.of(kc).shuffleStore().removeMapOutput(shuffleId(reduced), 2);

        assertEquals(EXPECTED, new TreeMap<>(reduced.collectAsMap()));
        assertEquals(List.of(2), mapTaskPartitions(events));
    }

    @Test
    void whenAMapOutputIsLostAfterTheReduceStageWasSubmitted_thenReduceTasksHitMissingOutputAndOnlyItIsRerun(
            KindlingContext kc) {
        PairRDD<Integer, Integer> reduced = reduced(kc);
        int shuffleId = shuffleId(reduced);
        EventRecorder events = new EventRecorder();
        kc.addListener(events);
        AtomicBoolean removed = new AtomicBoolean();
        kc.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                // Runs on the event thread before the stage's tasks are launched: they will all miss it.
                if (!event.stage().shuffleMap() && removed.compareAndSet(false, true)) {
                    ContextInternals.of(kc).shuffleStore().removeMapOutput(shuffleId, 1);
                }
            }
        });

        assertEquals(EXPECTED, new TreeMap<>(reduced.collectAsMap()));
        assertTrue(removed.get());
        assertEquals(List.of(0, 1, 1, 2, 3), mapTaskPartitions(events).stream().sorted().collect(Collectors.toList()),
                "4 map tasks, then only map task 1 again");
        List<TaskEnd> reduceFailures = events.of(TaskEnd.class).stream()
                .filter(e -> !e.succeeded() && Failures.find(e.failure(), MissingShuffleOutputException.class) != null)
                .collect(Collectors.toList());
        assertTrue(!reduceFailures.isEmpty(), "reduce tasks should have met the missing output");
        assertTrue(events.of(SchedulerEvent.StageCompleted.class).stream()
                .anyMatch(e -> "missing shuffle output".equals(e.failureReason())));
        // A reduce task that reads after the first one reported the loss (and the tracker forgot the output)
        // meets the same lost output as a FetchFailedException: a matter of timing, the same kind of failure.
        List<Throwable> others = events.of(TaskEnd.class).stream().filter(e -> !e.succeeded())
                .filter(e -> Failures.find(e.failure(), MissingShuffleOutputException.class) == null
                        && Failures.find(e.failure(), FetchFailedException.class) == null
                        && !(e.failure() instanceof dev.kindling.scheduler.TaskKilledException))
                .map(TaskEnd::failure).collect(Collectors.toList());
        assertEquals(List.of(), others, "no other kind of failure");
    }

    @Test
    void whenMapOutputKeepsGoingMissing_thenTheJobFailsInsteadOfLoopingForever(KindlingContext kc) {
        PairRDD<Integer, Integer> reduced = reduced(kc);
        int shuffleId = shuffleId(reduced);
        kc.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                if (!event.stage().shuffleMap()) {
                    ContextInternals.of(kc).shuffleStore().removeMapOutput(shuffleId, 0);
                }
            }
        });
        JobFailedException e = assertThrows(JobFailedException.class, reduced::collectAsMap);
        assertNotNull(Failures.find(e, MissingShuffleOutputException.class), "cause chain " + Failures.chain(e));
        assertTrue(e.getMessage().contains("kept going missing"), e.getMessage());
    }

    /** Partitions of the map tasks that succeeded, in the order they ended. */
    private static List<Integer> mapTaskPartitions(EventRecorder events) {
        Set<Integer> mapStages = events.of(StageSubmitted.class).stream().filter(e -> e.stage().shuffleMap())
                .map(e -> e.stage().stageId()).collect(Collectors.toSet());
        return events.of(TaskEnd.class).stream().filter(e -> mapStages.contains(e.stageId()) && e.succeeded())
                .map(e -> e.task().partition()).collect(Collectors.toList());
    }
}
