package dev.kindling.internal.rdd;

import dev.kindling.RDD;
import dev.kindling.function.FlatMapFunction2;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.scheduler.TaskContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Applies a function to partition {@code i} of two RDDs with the same partition count. Each task
 * attempt runs its own deserialized copy of the function (see {@link TaskClosure}).
 */
public final class ZippedPartitionsRDD<A, B, R> extends RDD<R> {

    private final RDD<A> left;
    private final RDD<B> right;
    private final TaskClosure<FlatMapFunction2<Iterator<A>, Iterator<B>, R>> function;

    /** Creates the node; fails if the partition counts differ. */
    public ZippedPartitionsRDD(RDD<A> left, RDD<B> right, FlatMapFunction2<Iterator<A>, Iterator<B>, R> function) {
        super(left.context());
        if (left.numPartitions() != right.numPartitions()) {
            throw new IllegalArgumentException("Can't zip RDDs with unequal numbers of partitions: "
                    + left.numPartitions() + " (" + left + ") vs " + right.numPartitions() + " (" + right + ")");
        }
        this.left = left;
        this.right = right;
        this.function = TaskClosure.perJob(function);
    }

    @Override
    protected int computeNumPartitions() {
        return left.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(NarrowDependency.oneToOne(left), NarrowDependency.oneToOne(right));
    }

    @Override
    protected Iterator<R> compute(int partition, TaskContext task) throws Exception {
        Iterator<R> out = function.get(task).call(left.iterator(partition, task), right.iterator(partition, task));
        return out == null ? Collections.emptyIterator() : out;
    }
}
