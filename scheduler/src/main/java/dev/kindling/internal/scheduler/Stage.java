package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.TaskBinary;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.ShuffleDependency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A set of tasks computing the same lineage node, one per partition, with no shuffle inside: either
 * a shuffle-map stage (writes shuffle output) or a result stage (feeds an action). Owned by the
 * scheduler's event thread.
 */
abstract sealed class Stage permits Stage.ShuffleMap, Stage.Result {

    final int id;
    final Lineage rdd;
    final int numTasks;
    final int firstJobId;
    private final String name;
    final Set<Integer> jobIds = new HashSet<>();
    final Set<Integer> pendingPartitions = new HashSet<>();
    /** Failed attempts per partition (killed ones and lost shuffle input do not count). */
    final Map<Integer, Integer> failures = new HashMap<>();
    /** Attempts launched per partition: the next attempt's number. */
    final Map<Integer, Integer> launches = new HashMap<>();
    int attempt = -1;
    int consecutiveFetchFailures;
    /** What the current stage attempt's tasks run, made once per stage attempt. */
    TaskBinary binary;
    /** The ids of the broadcast variables {@link #binary} holds (empty when it was not serialized). */
    long[] broadcastIds = new long[0];
    /** The accumulators the binary holds (empty when tasks are not serialized). */
    long[] accumulatorIds = new long[0];
    /** The last description events carried (see {@link SchedulerState#stageInfo}); null until the first. */
    dev.kindling.scheduler.SchedulerEvent.StageInfo described;

    Stage(int id, Lineage rdd, int numTasks, int firstJobId) {
        this.id = id;
        this.rdd = rdd;
        this.numTasks = numTasks;
        this.firstJobId = firstJobId;
        this.name = describe(rdd);
    }

    /** The lineage node's description, computed once: describe() may be user code, and may throw. */
    String name() {
        return name;
    }

    private static String describe(Lineage rdd) {
        try {
            return rdd.describe();
        } catch (RuntimeException e) {
            return rdd.getClass().getName() + "[" + rdd.id() + "] (describe() threw " + e + ")";
        }
    }

    /** A stage that writes the output of one shuffle dependency. */
    static final class ShuffleMap extends Stage {
        final ShuffleDependency dependency;

        ShuffleMap(int id, ShuffleDependency dependency, int firstJobId) {
            super(id, dependency.parent(), dependency.parent().numPartitions(), firstJobId);
            this.dependency = dependency;
        }
    }

    /** The final stage of a job, whose tasks apply the action's function. */
    static final class Result extends Stage {
        final ActiveJob job;

        Result(int id, Lineage rdd, ActiveJob job) {
            super(id, rdd, job.partitions.length, job.jobId);
            this.job = job;
        }
    }
}
