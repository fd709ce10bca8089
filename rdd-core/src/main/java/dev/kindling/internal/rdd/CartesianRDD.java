package dev.kindling.internal.rdd;

import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every pair of elements of two RDDs. Partition {@code i1 * P2 + i2} pairs partition {@code i1} of
 * the first with partition {@code i2} of the second (whose elements are buffered once per task).
 */
public final class CartesianRDD<T, U> extends RDD<Pair<T, U>> {

    private final RDD<T> left;
    private final RDD<U> right;

    /** Creates the node. */
    public CartesianRDD(RDD<T> left, RDD<U> right) {
        super(left.context());
        this.left = left;
        this.right = right;
    }

    @Override
    protected int computeNumPartitions() {
        return left.numPartitions() * right.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        int p2 = right.numPartitions();
        return List.of(new NarrowDependency(left) {
            @Override
            public List<Integer> parentPartitions(int partition) {
                return List.of(partition / p2);
            }
        }, new NarrowDependency(right) {
            @Override
            public List<Integer> parentPartitions(int partition) {
                return List.of(partition % p2);
            }
        });
    }

    @Override
    protected Iterator<Pair<T, U>> compute(int partition, TaskContext task) throws Exception {
        int p2 = right.numPartitions();
        Iterator<T> outer = left.iterator(partition / p2, task);
        List<U> inner = new ArrayList<>();
        right.iterator(partition % p2, task).forEachRemaining(inner::add);
        if (inner.isEmpty()) {
            return Collections.emptyIterator();
        }
        return new Iterator<>() {
            private T current;
            private int index = inner.size();

            @Override
            public boolean hasNext() {
                return index < inner.size() || outer.hasNext();
            }

            @Override
            public Pair<T, U> next() {
                if (index >= inner.size()) {
                    if (!outer.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    current = outer.next();
                    index = 0;
                }
                return new Pair<>(current, inner.get(index++));
            }
        };
    }
}
