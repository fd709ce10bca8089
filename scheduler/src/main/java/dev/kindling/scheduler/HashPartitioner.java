package dev.kindling.scheduler;

/**
 * Partitions keys by {@code hashCode()} modulo the partition count (non-negative); null goes to
 * partition 0. Spark's default partitioner.
 */
public final class HashPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;
    private final int partitions;

    /** Creates a hash partitioner over {@code partitions} partitions (must be at least 1). */
    public HashPartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("HashPartitioner needs at least 1 partition (got " + partitions + ")");
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        if (key == null) {
            return 0;
        }
        int mod = key.hashCode() % partitions;
        return mod < 0 ? mod + partitions : mod;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashPartitioner h && h.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }

    @Override
    public String toString() {
        return "HashPartitioner(" + partitions + ")";
    }
}
