package dev.kindling.internal.rdd;

import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;
import java.util.List;

/**
 * The parent's partitions {@code [first, first + count)} only, renumbered from 0, as Spark's
 * {@code PartitionPruningRDD}; the others are never computed. Used by {@code filterByRange} on a
 * range-partitioned RDD. Has no partitioner (as Spark), since partition numbers shift.
 */
public final class PartitionPruningRDD<T> extends RDD<T> {

    private final RDD<T> parent;
    private final int first;
    private final int count;

    /** Keeps {@code count} partitions of {@code parent} from partition {@code first}. */
    public PartitionPruningRDD(RDD<T> parent, int first, int count) {
        super(parent.context());
        if (first < 0 || count < 0 || first + count > parent.numPartitions()) {
            throw new IllegalArgumentException("Cannot keep partitions [" + first + ", " + (first + count) + ") of "
                    + parent + ", which has " + parent.numPartitions());
        }
        this.parent = parent;
        this.first = first;
        this.count = count;
    }

    @Override
    protected int computeNumPartitions() {
        return count;
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(NarrowDependency.range(parent, first, 0, count));
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext task) throws Exception {
        return parent.iterator(first + partition, task);
    }
}
