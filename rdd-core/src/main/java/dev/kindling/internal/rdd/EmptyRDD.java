package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An RDD with no partitions and no elements. */
public final class EmptyRDD<T> extends RDD<T> {

    /** Creates the node. */
    public EmptyRDD(KindlingContext context) {
        super(context);
    }

    @Override
    protected int computeNumPartitions() {
        return 0;
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext task) {
        return Collections.emptyIterator();
    }
}
