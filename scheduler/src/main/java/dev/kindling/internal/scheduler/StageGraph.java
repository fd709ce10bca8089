package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.internal.shuffle.MapOutputTracker;
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

    private final MapOutputTracker tracker;
    private final Map<Integer, Stage> stages = new HashMap<>();
    private final Map<Integer, Stage.ShuffleMap> shuffleStages = new HashMap<>();
    private int nextStageId;

    StageGraph(MapOutputTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * Creates and registers the result stage of {@code job}, after the parent map stages it will run
     * (see {@link #createParentStages}), so stage ids are numbered parents first, as in Spark. A job
     * with no partitions runs nothing, and its lineage is not looked at.
     */
    Stage.Result newResultStage(ActiveJob job) {
        if (job.partitions.length > 0) {
            createParentStages(job.rdd, job);
        }
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

    /** Whether every map output of the stage's shuffle is registered with the map output tracker. */
    boolean isAvailable(Stage.ShuffleMap stage) {
        return tracker.missingMapOutputs(stage.dependency.shuffleId(), stage.numTasks).length == 0;
    }

    /** The map partitions of the stage's shuffle whose output is not registered. */
    int[] missingOutputs(Stage.ShuffleMap stage) {
        return tracker.missingMapOutputs(stage.dependency.shuffleId(), stage.numTasks);
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

    /** The map stage of shuffle {@code shuffleId}, or null when it has none (now). */
    Stage shuffleStage(int shuffleId) {
        return shuffleStages.get(shuffleId);
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

    /**
     * Creates (and registers {@code job} with) the map stage of every shuffle that {@link #missingParents}
     * would reach from {@code rdd}, each after the stages it depends on: the walk goes past a shuffle
     * only when its output is missing, and a stage is made when the walk leaves its shuffle's parent.
     * So a stage always has a higher id than its parents. Iterative (explicit stack), so deep
     * lineages cannot overflow the stack; shuffles that already have a stage keep their id.
     */
    private void createParentStages(Lineage rdd, ActiveJob job) {
        record Frame(Lineage rdd, List<Dependency> deps, ShuffleDependency via, int[] next) {
        }
        Set<Integer> expanded = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        expanded.add(rdd.id());
        stack.push(new Frame(rdd, rdd.dependencies(), null, new int[1]));
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.next[0] == top.deps.size()) {
                stack.pop();
                if (top.via != null) {
                    shuffleStage(top.via, job); // all its ancestors have their stages now
                }
                continue;
            }
            Dependency dep = top.deps.get(top.next[0]++);
            Lineage parent = dep.parent();
            if (dep instanceof ShuffleDependency shuffle) {
                if (shuffleStages.containsKey(shuffle.shuffleId())) {
                    continue;
                }
                boolean available = tracker.missingMapOutputs(shuffle.shuffleId(), parent.numPartitions()).length == 0;
                if (available || !expanded.add(parent.id())) {
                    shuffleStage(shuffle, job); // nothing above it runs, or its ancestors are done already
                } else {
                    stack.push(new Frame(parent, parent.dependencies(), shuffle, new int[1]));
                }
            } else if (expanded.add(parent.id())) {
                stack.push(new Frame(parent, parent.dependencies(), null, new int[1]));
            }
        }
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
