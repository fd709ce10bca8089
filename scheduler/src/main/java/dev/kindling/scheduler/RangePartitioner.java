package dev.kindling.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Partitions sortable keys into roughly equal ranges, so that partition {@code i} holds only keys
 * ordered before those of partition {@code i + 1} (after {@code i + 1} when descending). Used by
 * {@code sortByKey}.
 *
 * <p>The range bounds come either from the constructor or, for a lazy partitioner, from a
 * {@link KeySampler} that runs a sampling job when the first job using the partitioner starts
 * (never at declaration). With few distinct keys some partitions stay empty; the partition count
 * itself never changes.
 */
public final class RangePartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    /** A sampled key with the number of input records it stands for; serializable, as it travels from executors in task results. */
    public record WeightedKey(Object key, double weight) implements java.io.Serializable {
    }

    /** Produces a weighted sample of the keys to be partitioned; runs on the driver. */
    @FunctionalInterface
    public interface KeySampler {
        /** Returns the sample; may run a job. */
        List<WeightedKey> sample() throws Exception;
    }

    private final int partitions;
    private final Comparator<Object> ordering;
    private final boolean ascending;
    private final transient KeySampler sampler;
    private volatile Object[] bounds;

    /** Creates a partitioner with known upper bounds of partitions {@code 0 .. n-2}, sorted by {@code ordering}. */
    @SuppressWarnings("unchecked")
    public RangePartitioner(Object[] bounds, Comparator<?> ordering, boolean ascending) {
        this.partitions = bounds.length + 1;
        this.ordering = (Comparator<Object>) Objects.requireNonNull(ordering, "ordering");
        this.ascending = ascending;
        this.sampler = null;
        this.bounds = bounds.clone();
    }

    @SuppressWarnings("unchecked")
    private RangePartitioner(int partitions, Comparator<?> ordering, boolean ascending, KeySampler sampler) {
        if (partitions < 1) {
            throw new IllegalArgumentException("RangePartitioner needs at least 1 partition (got " + partitions + ")");
        }
        this.partitions = partitions;
        this.ordering = (Comparator<Object>) Objects.requireNonNull(ordering, "ordering");
        this.ascending = ascending;
        this.sampler = Objects.requireNonNull(sampler, "sampler");
    }

    /** Creates a partitioner whose bounds are computed from {@code sampler} in {@link #prepare()}. */
    public static RangePartitioner lazy(int partitions, Comparator<?> ordering, boolean ascending, KeySampler sampler) {
        return new RangePartitioner(partitions, ordering, ascending, sampler);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    /** Whether this partitioner orders keys by {@code comparator} (an equal comparator). */
    public boolean ordersBy(Comparator<?> comparator) {
        return ordering.equals(comparator);
    }

    /** Whether the bounds are known. */
    public boolean isPrepared() {
        return bounds != null;
    }

    @Override
    public synchronized void prepare() throws Exception {
        if (bounds == null) {
            bounds = computeBounds(sampler.sample());
        }
    }

    private Object[] computeBounds(List<WeightedKey> sample) {
        if (partitions == 1 || sample.isEmpty()) {
            return new Object[0];
        }
        List<WeightedKey> sorted = new ArrayList<>(sample);
        sorted.sort((a, b) -> ordering.compare(a.key(), b.key()));
        double total = 0;
        for (WeightedKey k : sorted) {
            total += k.weight();
        }
        double step = total / partitions;
        List<Object> result = new ArrayList<>(partitions - 1);
        double cumulative = 0;
        double target = step;
        Object previous = null;
        for (WeightedKey k : sorted) {
            cumulative += k.weight();
            if (cumulative >= target) {
                if (previous == null || ordering.compare(k.key(), previous) > 0) {
                    result.add(k.key());
                    previous = k.key();
                    target += step;
                    if (result.size() == partitions - 1) {
                        break;
                    }
                }
            }
        }
        return result.toArray();
    }

    @Override
    public int getPartition(Object key) {
        Object[] b = bounds;
        if (b == null) {
            throw new IllegalStateException("RangePartitioner used before prepare(): its bounds are not sampled yet");
        }
        int lo = 0;
        int hi = b.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ordering.compare(key, b[mid]) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return ascending ? lo : partitions - 1 - lo;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RangePartitioner r) || r.partitions != partitions || r.ascending != ascending
                || !r.ordering.equals(ordering)) {
            return false;
        }
        Object[] mine = bounds;
        Object[] theirs = r.bounds;
        return mine != null && theirs != null && Arrays.equals(mine, theirs);
    }

    @Override
    public int hashCode() {
        return 31 * partitions + (ascending ? 1 : 0);
    }

    @Override
    public String toString() {
        return "RangePartitioner(" + partitions + (ascending ? ", ascending" : ", descending") + ")";
    }
}
