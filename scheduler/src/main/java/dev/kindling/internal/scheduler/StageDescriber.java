package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.ShuffleDependency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Describes a stage for listener events: the RDDs its tasks compute (walking narrow dependencies
 * from the stage's RDD, stopping at shuffles) and the stages whose shuffle output it reads. Runs on
 * the scheduler's event thread, once per stage event; the lineage methods it calls are user code
 * that may throw, so a failure leaves the description without its graph instead of failing the job.
 */
final class StageDescriber {

    private StageDescriber() {
    }

    /** The event description of {@code stage}; {@code stageOfShuffle} gives the map stage of a shuffle id, or null. */
    static SchedulerEvent.StageInfo describe(Stage stage, IntFunction<Stage> stageOfShuffle) {
        List<Integer> parents = new ArrayList<>();
        List<SchedulerEvent.RddInfo> rdds = new ArrayList<>();
        try {
            Deque<Lineage> todo = new ArrayDeque<>();
            Set<Integer> seen = new HashSet<>();
            todo.add(stage.rdd);
            seen.add(stage.rdd.id());
            while (!todo.isEmpty()) {
                Lineage rdd = todo.poll();
                List<Integer> rddParents = new ArrayList<>();
                for (Dependency dep : rdd.dependencies()) {
                    Lineage parent = dep.parent();
                    rddParents.add(parent.id());
                    if (dep instanceof ShuffleDependency shuffle) {
                        Stage parentStage = stageOfShuffle.apply(shuffle.shuffleId());
                        if (parentStage != null && !parents.contains(parentStage.id)) {
                            parents.add(parentStage.id);
                        }
                    } else if (seen.add(parent.id())) {
                        todo.add(parent);
                    }
                }
                String name = rdd.name();
                rdds.add(new SchedulerEvent.RddInfo(rdd.id(), name != null ? name : rdd.getClass().getSimpleName(),
                        rdd.describe(), rdd.numPartitions(), rdd.getStorageLevel().name(), List.copyOf(rddParents)));
            }
        } catch (RuntimeException e) {
            rdds.clear();
            parents.clear();
        }
        parents.sort(null);
        return new SchedulerEvent.StageInfo(stage.id, stage.attempt, stage.name(), stage.numTasks,
                stage instanceof Stage.ShuffleMap, List.copyOf(parents), List.copyOf(rdds));
    }
}
