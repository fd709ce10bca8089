package dev.kindling.scheduler;

/**
 * Partitions keys by {@code hashCode()} modulo the partition count (non-negative); null goes to
 * partition 0. Spark's default partitioner. Zero partitions are allowed, as in Spark, for the
 * result of a shuffle of an input without partitions; such a partitioner places no key.
 */
public final class HashPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;
    private final int partitions;

    /** Creates a hash partitioner over {@code partitions} partitions (0 only for inputs without partitions). */
    public HashPartitioner(int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("HashPartitioner needs at least 0 partitions (got " + partitions + ")");
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        if (partitions == 0) {
            throw new IllegalStateException("HashPartitioner(0) has no partition for key " + key
                    + ": 0 partitions suit only an input without partitions; ask for at least 1");
        }
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
