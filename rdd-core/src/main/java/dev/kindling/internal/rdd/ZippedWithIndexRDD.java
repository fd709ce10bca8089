package dev.kindling.internal.rdd;

import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;
import java.util.List;

/**
 * Pairs each element with its global index. The start index of each partition comes from a job
 * counting partitions {@code 0..P-2}, run on the driver before the first job that needs it
 * (Spark runs it at declaration; Kindling does no work before an action).
 */
public final class ZippedWithIndexRDD<T> extends RDD<Pair<T, Long>> {

    private final RDD<T> parent;
    private volatile long[] startIndices;

    /** Creates the node. */
    public ZippedWithIndexRDD(RDD<T> parent) {
        super(parent.context());
        this.parent = parent;
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
    protected synchronized void prepareForJob() {
        if (startIndices != null) {
            return;
        }
        int n = parent.numPartitions();
        long[] starts = new long[Math.max(n, 1)];
        if (n > 1) {
            int[] partitions = java.util.stream.IntStream.range(0, n - 1).toArray();
            List<Long> counts = context().runJob(parent, (ctx, it) -> Iterators.count(it), partitions);
            for (int i = 1; i < n; i++) {
                starts[i] = starts[i - 1] + counts.get(i - 1);
            }
        }
        startIndices = starts;
    }

    @Override
    protected Iterator<Pair<T, Long>> compute(int partition, TaskContext task) throws Exception {
        long[] starts = startIndices;
        if (starts == null) {
            throw new IllegalStateException("zipWithIndex start indices were not computed before the job");
        }
        long[] next = {starts[partition]};
        return Iterators.map(parent.iterator(partition, task), x -> new Pair<>(x, next[0]++));
    }
}
