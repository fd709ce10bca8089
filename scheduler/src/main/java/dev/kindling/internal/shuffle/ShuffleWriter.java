package dev.kindling.internal.shuffle;

/**
 * Accepts one map task's records, each already assigned to a reduce bucket. Confined to one thread.
 */
public interface ShuffleWriter {

    /** Appends a record to bucket {@code reducer}. Keys and values may be null. */
    void write(int reducer, Object key, Object value);

    /**
     * Asks that the output be kept serialized once committed, rather than as the record objects
     * (call before {@link #commit()}): for an output whose records each stand for many input records,
     * as a map-side combine's do. Serializing such an output costs little per input record, while
     * holding its objects until the reducers read them makes every young collection of the rest of
     * the map stage copy them. A hint: a store may ignore it (the default does).
     */
    default void preferSerialized() {
    }

    /** Makes everything written visible to readers, replacing an earlier output of this map task. */
    void commit();

    /** Drops everything written; nothing becomes visible. Safe to call after a failure. */
    void abort();

    /** Records written so far. */
    long recordsWritten();

    /** Estimated bytes written so far (references plus a per-record overhead in memory mode). */
    long bytesWritten();

    /**
     * After {@link #commit()}: the committed output's bytes per reduce bucket, as a {@link MapStatus}
     * reports them (file bytes on disk, estimated heap bytes in memory; 0 exactly when the bucket is
     * empty).
     */
    long[] partitionLengths();

    /** Time spent writing files (spills and the commit) so far, in nanoseconds; timed per file, not per record. */
    default long writeNanos() {
        return 0;
    }

    /** Estimated heap bytes of the buffers spilled to disk before the commit. */
    default long memoryBytesSpilled() {
        return 0;
    }

    /** Bytes of the files spilled before the commit (the commit's own file is output, not a spill). */
    default long diskBytesSpilled() {
        return 0;
    }

    /** The most execution memory the writer's buffers held at once, in bytes. */
    default long peakMemory() {
        return 0;
    }
}
