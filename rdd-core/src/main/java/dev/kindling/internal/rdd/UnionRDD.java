package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The partitions of several RDDs, one after another: a range dependency on each parent. See
 * {@link #of(KindlingContext, List)} for the union a user gets, which is partitioner-aware.
 */
public final class UnionRDD<T> extends RDD<T> {

    private final List<RDD<T>> parents;

    /** Creates the union of {@code parents}, which must belong to {@code context}. */
    public UnionRDD(KindlingContext context, List<RDD<T>> parents) {
        super(context);
        for (RDD<T> p : parents) {
            if (p.context() != context) {
                throw new IllegalArgumentException("union: " + p + " belongs to another context");
            }
        }
        this.parents = List.copyOf(parents);
    }

    /**
     * The union of {@code rdds} as Spark's {@code SparkContext.union}: when every input with
     * partitions has a partitioner and they are all equal, a {@link PartitionerAwareUnionRDD}
     * (same partition count, partitioner kept); otherwise the concatenation of all partitions.
     */
    public static <T> RDD<T> of(KindlingContext context, List<RDD<T>> rdds) {
        List<RDD<T>> nonEmpty = new ArrayList<>();
        Set<Partitioner> partitioners = new HashSet<>();
        boolean allPartitioned = true;
        for (RDD<T> r : rdds) {
            if (r.context() != context) {
                throw new IllegalArgumentException("union: " + r + " belongs to another context");
            }
            if (r.numPartitions() > 0) {
                nonEmpty.add(r);
                allPartitioned &= r.partitioner().isPresent();
                r.partitioner().ifPresent(partitioners::add);
            }
        }
        if (!nonEmpty.isEmpty() && allPartitioned && partitioners.size() == 1) {
            return new PartitionerAwareUnionRDD<>(context, nonEmpty);
        }
        return new UnionRDD<>(context, rdds);
    }

    @Override
    protected int computeNumPartitions() {
        int n = 0;
        for (RDD<T> p : parents) {
            n += p.numPartitions();
        }
        return n;
    }

    @Override
    protected List<Dependency> computeDependencies() {
        List<Dependency> deps = new ArrayList<>();
        int out = 0;
        for (RDD<T> p : parents) {
            deps.add(NarrowDependency.range(p, 0, out, p.numPartitions()));
            out += p.numPartitions();
        }
        return deps;
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext context) throws Exception {
        int p = partition;
        for (RDD<T> parent : parents) {
            int n = parent.numPartitions();
            if (p < n) {
                return parent.iterator(p, context);
            }
            p -= n;
        }
        throw new IndexOutOfBoundsException("partition " + partition + " of " + this);
    }
}
