package dev.kindling.internal.rdd;

import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Applies a function to each partition of its parent, one to one: the node behind map, filter,
 * flatMap, mapPartitions and friends. Pipelined: computing a partition pulls the parent's iterator.
 * Each task attempt runs its own deserialized copy of the function (see {@link TaskClosure}).
 */
public final class MapPartitionsRDD<T, R> extends RDD<R> {

    private final RDD<T> parent;
    private final TaskClosure<PartitionFunction<T, R>> function;
    private final boolean preservesPartitioning;

    /** Creates the node; {@code preservesPartitioning} keeps the parent's partitioner (filter, mapValues). */
    public MapPartitionsRDD(RDD<T> parent, PartitionFunction<T, R> function, boolean preservesPartitioning) {
        super(parent.context());
        this.parent = parent;
        this.function = TaskClosure.perJob(function);
        this.preservesPartitioning = preservesPartitioning;
    }

    @Override
    protected int computeNumPartitions() {
        return parent.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(NarrowDependency.oneToOne(parent));
    }

    @Override
    protected Iterator<R> compute(int partition, TaskContext task) throws Exception {
        Iterator<R> out = function.get(task).apply(task, partition, parent.iterator(partition, task));
        return out == null ? java.util.Collections.emptyIterator() : out;
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return preservesPartitioning ? parent.partitioner() : Optional.empty();
    }
}
