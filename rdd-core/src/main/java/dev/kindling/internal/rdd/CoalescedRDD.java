package dev.kindling.internal.rdd;

import dev.kindling.internal.util.Unchecked;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Merges contiguous parent partitions into fewer partitions without a shuffle: child {@code i}
 * reads parents {@code [i*P/n, (i+1)*P/n)}. Asking for more partitions than the parent has keeps
 * the parent's count.
 */
public final class CoalescedRDD<T> extends RDD<T> {

    private final RDD<T> parent;
    private final int requested;

    /** Creates the node. */
    public CoalescedRDD(RDD<T> parent, int requested) {
        super(parent.context());
        this.parent = parent;
        this.requested = requested;
    }

    @Override
    protected int computeNumPartitions() {
        return Math.min(requested, parent.numPartitions());
    }

    private int[] range(int partition) {
        long p = parent.numPartitions();
        int n = numPartitions();
        return new int[] {(int) (partition * p / n), (int) ((partition + 1) * p / n)};
    }

    @Override
    protected List<Dependency> computeDependencies() {
        int[][] mapping = new int[numPartitions()][];
        for (int i = 0; i < mapping.length; i++) {
            int[] r = range(i);
            mapping[i] = java.util.stream.IntStream.range(r[0], r[1]).toArray();
        }
        return List.of(NarrowDependency.explicit(parent, mapping));
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext task) {
        int[] r = range(partition);
        return new Iterator<>() {
            private int next = r[0];
            private Iterator<T> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < r[1]) {
                    try {
                        current = parent.iterator(next++, task);
                    } catch (Exception e) {
                        throw Unchecked.rethrow(e);
                    }
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
