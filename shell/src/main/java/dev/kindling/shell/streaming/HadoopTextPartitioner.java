package dev.kindling.shell.streaming;

import dev.kindling.scheduler.Partitioner;

/**
 * Hadoop's default HashPartitioner applied to Text keys: partition =
 * {@code (keyHash & Integer.MAX_VALUE) % reducers}, with {@link StreamRecord#keyHash()}, so a
 * key lands in the same reducer as it would on Hadoop.
 */
public final class HadoopTextPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;
    private final int reducers;

    /** Creates the partitioner for {@code reducers} reduce tasks (at least 1). */
    public HadoopTextPartitioner(int reducers) {
        if (reducers < 1) {
            throw new IllegalArgumentException("HadoopTextPartitioner needs at least 1 reducer (got " + reducers + ")");
        }
        this.reducers = reducers;
    }

    /** The partition of a key with the given Text hash. */
    public static int partition(int keyHash, int reducers) {
        return (keyHash & Integer.MAX_VALUE) % reducers;
    }

    @Override
    public int numPartitions() {
        return reducers;
    }

    @Override
    public int getPartition(Object key) {
        return partition(((StreamRecord) key).keyHash(), reducers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HadoopTextPartitioner p && p.reducers == reducers;
    }

    @Override
    public int hashCode() {
        return 31 + reducers;
    }

    @Override
    public String toString() {
        return "HadoopTextPartitioner(" + reducers + ")";
    }
}
