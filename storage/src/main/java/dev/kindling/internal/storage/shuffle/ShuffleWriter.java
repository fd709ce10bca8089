package dev.kindling.internal.storage.shuffle;

/**
 * Accepts one map task's records, each already assigned to a reduce bucket. Confined to one thread.
 */
public interface ShuffleWriter {

    /** Appends a record to bucket {@code reducer}. Keys and values may be null. */
    void write(int reducer, Object key, Object value);

    /** Makes everything written visible to readers, replacing an earlier output of this map task. */
    void commit();

    /** Drops everything written; nothing becomes visible. Safe to call after a failure. */
    void abort();

    /** Records written so far. */
    long recordsWritten();

    /** Estimated bytes written so far (references plus a per-record overhead in memory mode). */
    long bytesWritten();
}
