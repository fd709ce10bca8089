package dev.kindling.storage;

/**
 * Where and how a persisted RDD's partitions are kept: in memory as objects or serialized bytes,
 * on local disk, or both (memory first, disk for what does not fit). As in Spark.
 */
public enum StorageLevel {
    /** Not persisted: recomputed from lineage each time. */
    NONE(false, false, true),
    /** Objects in memory; a partition that does not fit is recomputed when needed. */
    MEMORY_ONLY(true, false, true),
    /** Serialized bytes in memory: smaller, slower to read. */
    MEMORY_ONLY_SER(true, false, false),
    /** Objects in memory, spilling to disk what does not fit. */
    MEMORY_AND_DISK(true, true, true),
    /** Serialized bytes in memory, spilling to disk what does not fit. */
    MEMORY_AND_DISK_SER(true, true, false),
    /** Serialized bytes on local disk only. */
    DISK_ONLY(false, true, false);

    private final boolean useMemory;
    private final boolean useDisk;
    private final boolean deserialized;

    StorageLevel(boolean useMemory, boolean useDisk, boolean deserialized) {
        this.useMemory = useMemory;
        this.useDisk = useDisk;
        this.deserialized = deserialized;
    }

    /** Whether partitions may be kept in memory. */
    public boolean useMemory() {
        return useMemory;
    }

    /** Whether partitions may be kept on disk. */
    public boolean useDisk() {
        return useDisk;
    }

    /** Whether in-memory partitions are kept as objects (not serialized bytes). */
    public boolean deserialized() {
        return deserialized;
    }

    /** Whether this level stores anything at all. */
    public boolean isValid() {
        return useMemory || useDisk;
    }
}
