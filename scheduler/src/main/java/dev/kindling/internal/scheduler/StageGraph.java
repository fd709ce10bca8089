package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.internal.storage.shuffle.ShuffleStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages of the active jobs and how they link: cuts a job's lineage into stages at shuffle
 * dependencies, shares one map stage per shuffle among the jobs that need it, and says which parent
 * stages still lack output. Part of {@link DAGScheduler}; confined to its event thread.
 *
 * <p>Lineage methods ({@code dependencies()}, {@code numPartitions()}) are user code: every method
 * here may throw what they throw, and callers fail the jobs concerned.
 */
final class StageGraph {

    private final ShuffleStore shuffleStore;
    private final Map<Integer, Stage> stages = new HashMap<>();
    private final Map<Integer, Stage.ShuffleMap> shuffleStages = new HashMap<>();
    private int nextStageId;

    StageGraph(ShuffleStore shuffleStore) {
        this.shuffleStore = shuffleStore;
    }

    /** Creates and registers the result stage of {@code job}. */
    Stage.Result newResultStage(ActiveJob job) {
        Stage.Result stage = new Stage.Result(nextStageId++, job.rdd, job);
        register(stage, job);
        return stage;
    }

    /** Whether {@code stage} is still registered (not dropped since its attempts were launched). */
    boolean isLive(Stage stage) {
        return stages.get(stage.id) == stage;
    }

    /** Forgets a stage no active job needs any more. */
    void drop(Stage stage) {
        stages.remove(stage.id);
        if (stage instanceof Stage.ShuffleMap map && shuffleStages.get(map.dependency.shuffleId()) == map) {
            shuffleStages.remove(map.dependency.shuffleId());
        }
    }

    int size() {
        return stages.size();
    }

    int shuffleStageCount() {
        return shuffleStages.size();
    }

    /** Whether every map output of the stage's shuffle is in the shuffle store. */
    boolean isAvailable(Stage.ShuffleMap stage) {
        return shuffleStore.missingMapOutputs(stage.dependency.shuffleId(), stage.numTasks).length == 0;
    }

    /** The map partitions of the stage's shuffle whose output is missing. */
    int[] missingOutputs(Stage.ShuffleMap stage) {
        return shuffleStore.missingMapOutputs(stage.dependency.shuffleId(), stage.numTasks);
    }

    /**
     * Walks the narrow lineage of {@code stage} back to its shuffle dependencies, registering
     * {@code job} with each parent map stage, and returns those whose output is not complete.
     * Iterative, so deep lineages cannot overflow the stack.
     */
    List<Stage> missingParents(Stage stage, ActiveJob job) {
        List<Stage> missing = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Lineage> todo = new ArrayDeque<>();
        todo.push(stage.rdd);
        while (!todo.isEmpty()) {
            Lineage rdd = todo.pop();
            if (!visited.add(rdd.id())) {
                continue;
            }
            for (Dependency dep : rdd.dependencies()) {
                if (dep instanceof ShuffleDependency shuffle) {
                    Stage.ShuffleMap parent = shuffleStage(shuffle, job);
                    if (!isAvailable(parent) && !missing.contains(parent)) {
                        missing.add(parent);
                    }
                } else {
                    todo.push(dep.parent());
                }
            }
        }
        return missing;
    }

    /** The ids of the stages {@code job} may run, sorted (for the job-start event). */
    List<Integer> stageIdsToRun(Stage root, ActiveJob job) {
        List<Integer> out = new ArrayList<>();
        Deque<Stage> todo = new ArrayDeque<>();
        Set<Stage> seen = new HashSet<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Stage s = todo.pop();
            if (seen.add(s)) {
                out.add(s.id);
                todo.addAll(missingParents(s, job));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private Stage.ShuffleMap shuffleStage(ShuffleDependency dep, ActiveJob job) {
        Stage.ShuffleMap stage = shuffleStages.get(dep.shuffleId());
        if (stage == null) {
            stage = new Stage.ShuffleMap(nextStageId++, dep, job.jobId);
            shuffleStages.put(dep.shuffleId(), stage);
        }
        register(stage, job);
        return stage;
    }

    private void register(Stage stage, ActiveJob job) {
        stages.put(stage.id, stage);
        stage.jobIds.add(job.jobId);
        job.stages.add(stage);
    }
}
