package dev.kindling.scheduler;

import java.io.Serializable;

/**
 * Assigns keys to partitions of a key/value dataset. Two RDDs whose partitioners are
 * {@linkplain Object#equals equal} are co-partitioned, which lets joins and aggregations skip a
 * shuffle, so every implementation must define {@code equals} and {@code hashCode}.
 */
public abstract class Partitioner implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of partitions keys are spread over. */
    public abstract int numPartitions();

    /** The partition of {@code key}, in {@code [0, numPartitions())}; {@code key} may be null. */
    public abstract int getPartition(Object key);

    /**
     * Called on the driver, on the thread that submits a job, before any stage that uses this
     * partitioner runs; may run preparatory jobs (a range partitioner samples its keys here) and
     * must be idempotent. Default: nothing to do.
     */
    public void prepare() throws Exception {
    }

    @Override
    public abstract boolean equals(Object other);

    @Override
    public abstract int hashCode();
}
