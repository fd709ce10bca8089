package dev.kindling;

import dev.kindling.storage.StorageLevel;

/**
 * What the cache holds for one persisted RDD: how many of its partitions are in memory and on disk,
 * and their bytes (estimated object size in memory, file size on disk). Returned by
 * {@link KindlingContext#getRDDStorageInfo()}.
 */
public record RDDStorageInfo(int rddId, String name, StorageLevel level, int numPartitions,
                             int memoryPartitions, int diskPartitions, long memoryBytes, long diskBytes) {

    /** Partitions stored anywhere (a partition in memory and on disk counts once). */
    public int cachedPartitions() {
        return Math.max(memoryPartitions, diskPartitions);
    }

    @Override
    public String toString() {
        return "RDD " + rddId + (name == null ? "" : " (" + name + ")") + " " + level + ": " + memoryPartitions
                + "/" + numPartitions + " partitions in memory (" + memoryBytes + " B), " + diskPartitions
                + " on disk (" + diskBytes + " B)";
    }
}
