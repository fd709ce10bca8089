package dev.kindling.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The partitions of several RDDs, one after another: a range dependency on each parent. */
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
