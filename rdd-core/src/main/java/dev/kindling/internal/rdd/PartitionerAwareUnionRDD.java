package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The union of RDDs that all have the same partitioner (Spark's {@code PartitionerAwareUnionRDD}):
 * partition {@code i} is partition {@code i} of every parent, one after another, so the union
 * keeps the partitioner and its partition count, and a later join or reduce by key adds no shuffle.
 * Built by {@link UnionRDD#of(KindlingContext, List)} when that holds.
 */
public final class PartitionerAwareUnionRDD<T> extends RDD<T> {

    private final List<RDD<T>> parents;
    private final Partitioner partitioner;

    /** Creates the union of {@code parents}, which must be non-empty, of {@code context}, and share one partitioner. */
    PartitionerAwareUnionRDD(KindlingContext context, List<RDD<T>> parents) {
        super(context);
        this.parents = List.copyOf(parents);
        this.partitioner = parents.get(0).partitioner().orElseThrow();
        for (RDD<T> p : parents) {
            if (!Optional.of(partitioner).equals(p.partitioner())) {
                throw new IllegalArgumentException("partitioner-aware union: " + p + " is partitioned by "
                        + p.partitioner() + ", not " + partitioner);
            }
        }
    }

    @Override
    protected int computeNumPartitions() {
        return partitioner.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        List<Dependency> deps = new ArrayList<>();
        for (RDD<T> p : parents) {
            deps.add(NarrowDependency.oneToOne(p));
        }
        return deps;
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return Optional.of(partitioner);
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext context) throws Exception {
        List<Iterator<T>> parts = new ArrayList<>();
        for (RDD<T> p : parents) {
            parts.add(p.iterator(partition, context));
        }
        return new Iterator<>() {
            private int current;

            @Override
            public boolean hasNext() {
                while (current < parts.size()) {
                    if (parts.get(current).hasNext()) {
                        return true;
                    }
                    current++;
                }
                return false;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return parts.get(current).next();
            }
        };
    }
}
