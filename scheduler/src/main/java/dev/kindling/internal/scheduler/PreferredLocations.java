package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.TaskPreferences;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.NarrowDependency;
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
 *   <li>else its narrow parents, in order, for the partitions it reads.</li>
 * </ol>
 * Shuffle dependencies end the walk (a reduce task reads from every map output). Lineage methods are
 * user code: one that throws makes the task's preference empty (a hint is not worth a job).
 *
 * <p>Thread safety: the scheduler's event thread only.
 */
final class PreferredLocations {

    private static final Logger LOG = LoggerFactory.getLogger(PreferredLocations.class);

    private final ExecutorBackend backend;

    PreferredLocations(ExecutorBackend backend) {
        this.backend = backend;
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
        for (Dependency d : rdd.dependencies()) {
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
}
