package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.TaskPreferences;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.storage.StorageLevel;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task would rather run, as Spark's {@code DAGScheduler.getPreferredLocs}: walking the stage's
 * lineage back through narrow dependencies from the task's partition, the first node that answers
 * decides:
 * <ol>
 *   <li>a persisted node whose partition an executor holds: those executors (PROCESS_LOCAL);</li>
 *   <li>a node whose {@link Lineage#preferredLocations} names hosts (an HDFS split's data nodes):
 *       those hosts (NODE_LOCAL);</li>
 *   <li>a node whose only dependency is a shuffle, read one reduce partition per partition (Spark's
 *       {@code ShuffledRDD}), when reduce locality is on ({@code kindling.shuffle.reduceLocality.enabled}):
 *       the executors holding at least 20% of that partition's input bytes (PROCESS_LOCAL; their hosts
 *       NODE_LOCAL) ({@link MapOutputTracker#reduceLocations}; none for 1000 or more map or reduce partitions);</li>
 *   <li>else its narrow parents, in order, for the partitions it reads.</li>
 * </ol>
 * Otherwise shuffle dependencies end the walk. Lineage methods are user code: one that throws makes
 * the task's preference empty (a hint is not worth a job).
 *
 * <p>Thread safety: the scheduler's event thread only.
 */
final class PreferredLocations {

    private static final Logger LOG = LoggerFactory.getLogger(PreferredLocations.class);

    private final ExecutorBackend backend;
    /** Where map outputs are, for reduce tasks' preferences; null when reduce locality is off. */
    private final MapOutputTracker reduceOutputs;

    /** Preferences from cached partitions and preferred hosts only (no reduce locality). */
    PreferredLocations(ExecutorBackend backend) {
        this(backend, null);
    }

    /** Preferences that also place reduce tasks near their input, as {@code reduceOutputs} records it (null: not). */
    PreferredLocations(ExecutorBackend backend, MapOutputTracker reduceOutputs) {
        this.backend = backend;
        this.reduceOutputs = reduceOutputs;
    }

    /** The preferences of the task computing {@code partition} of {@code rdd}. */
    TaskPreferences of(Lineage rdd, int partition) {
        try {
            TaskPreferences p = walk(rdd, partition, new HashSet<>());
            return p == null ? TaskPreferences.NONE : p;
        } catch (RuntimeException e) {
            LOG.warn("Could not compute the preferred locations of partition {} of {}; it runs anywhere: {}",
                    partition, rdd.describe(), e.toString());
            return TaskPreferences.NONE;
        }
    }

    private TaskPreferences walk(Lineage rdd, int partition, Set<Long> visited) {
        if (!visited.add(((long) rdd.id() << 32) | (partition & 0xffffffffL))) {
            return null;
        }
        if (rdd.getStorageLevel() != StorageLevel.NONE) {
            Set<String> executors = backend.cachedLocations(rdd.id(), partition);
            if (!executors.isEmpty()) {
                return TaskPreferences.executors(executors);
            }
        }
        List<String> hosts = rdd.preferredLocations(partition);
        if (hosts != null && !hosts.isEmpty()) {
            return TaskPreferences.hosts(new LinkedHashSet<>(hosts));
        }
        List<Dependency> dependencies = rdd.dependencies();
        if (reduceOutputs != null && dependencies.size() == 1 && dependencies.get(0) instanceof ShuffleDependency s
                && s.partitioner().numPartitions() == rdd.numPartitions()) {
            return reducePreferences(s, partition);
        }
        for (Dependency d : dependencies) {
            if (d instanceof NarrowDependency n) {
                for (int parent : n.parentPartitions(partition)) {
                    TaskPreferences p = walk(n.parent(), parent, visited);
                    if (p != null && !p.isEmpty()) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private TaskPreferences reducePreferences(ShuffleDependency shuffle, int partition) {
        List<ExecutorLocation> holders = reduceOutputs.reduceLocations(shuffle.shuffleId(),
                shuffle.parent().numPartitions(), partition, shuffle.partitioner().numPartitions());
        if (holders.isEmpty()) {
            return null;
        }
        Set<String> executors = new LinkedHashSet<>();
        for (ExecutorLocation l : holders) {
            executors.add(l.executorId());
        }
        return TaskPreferences.executors(executors); // the queue also places it NODE_LOCAL on their hosts
    }
}
