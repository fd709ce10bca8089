package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The numbers {@code start, start+step, ...} below {@code end} (above, for a negative step), generated lazily. */
public final class RangeRDD extends RDD<Long> {

    private final long start;
    private final long step;
    private final long count;
    private final int slices;

    /** Creates the node; {@code step} must not be 0. */
    public RangeRDD(KindlingContext context, long start, long end, long step, int slices) {
        super(context);
        if (step == 0) {
            throw new IllegalArgumentException("range step must not be 0");
        }
        if (slices < 1) {
            throw new IllegalArgumentException("range needs at least 1 slice (got " + slices + ")");
        }
        this.start = start;
        this.step = step;
        java.math.BigInteger span = java.math.BigInteger.valueOf(end).subtract(java.math.BigInteger.valueOf(start));
        java.math.BigInteger s = java.math.BigInteger.valueOf(step);
        java.math.BigInteger n = span.signum() == 0 || span.signum() != s.signum() ? java.math.BigInteger.ZERO
                : span.add(s).subtract(java.math.BigInteger.valueOf(s.signum())).divide(s);
        if (n.bitLength() > 62) {
            throw new IllegalArgumentException("range has too many elements: " + n);
        }
        this.count = n.longValue();
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
    protected Iterator<Long> compute(int partition, TaskContext task) {
        long from = (long) (partition * (double) count / slices);
        long to = (long) ((partition + 1) * (double) count / slices);
        if (partition == slices - 1) {
            to = count;
        }
        long first = from;
        long last = to;
        task.metrics().addRecordsRead(last - first);
        return new Iterator<>() {
            private long i = first;

            @Override
            public boolean hasNext() {
                return i < last;
            }

            @Override
            public Long next() {
                if (i >= last) {
                    throw new NoSuchElementException();
                }
                return start + step * i++;
            }
        };
    }
}
