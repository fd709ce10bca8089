package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;
import java.util.List;

/**
 * A driver-side list cut into {@code slices} contiguous slices, slice {@code i} being
 * {@code [i*len/n, (i+1)*len/n)} as in Spark. The list is copied at declaration.
 */
public final class ParallelCollectionRDD<T> extends RDD<T> {

    private final List<T> data;
    private final int slices;

    /** Creates the node over a copy of {@code data}. */
    public ParallelCollectionRDD(KindlingContext context, List<T> data, int slices) {
        super(context);
        if (slices < 1) {
            throw new IllegalArgumentException("parallelize needs at least 1 slice (got " + slices + ")");
        }
        this.data = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(data));
        this.slices = slices;
    }

    @Override
    protected int computeNumPartitions() {
        return slices;
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext task) {
        int start = (int) ((long) partition * data.size() / slices);
        int end = (int) ((long) (partition + 1) * data.size() / slices);
        task.metrics().addRecordsRead(end - start);
        return data.subList(start, end).iterator();
    }
}
