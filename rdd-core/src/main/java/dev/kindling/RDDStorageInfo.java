package dev.kindling;

import dev.kindling.storage.StorageLevel;

/**
 * What the cache holds for one persisted RDD: how many of its partitions are in memory and on disk,
 * and their bytes (estimated object size in memory, file size on disk), and how the cache served it:
 * {@code hits} (partition reads served from memory or disk), {@code misses} (partitions computed
 * because no block was stored) and {@code evictions} (its blocks evicted from memory, to disk or
 * dropped), counted since the RDD was persisted. Returned by {@link KindlingContext#getRDDStorageInfo()}.
 */
public record RDDStorageInfo(int rddId, String name, StorageLevel level, int numPartitions,
                             int memoryPartitions, int diskPartitions, long memoryBytes, long diskBytes,
                             long hits, long misses, long evictions) {

    /** Partitions stored anywhere (the block manager keeps a block in memory or on disk, never both). */
    public int cachedPartitions() {
        return memoryPartitions + diskPartitions;
    }

    @Override
    public String toString() {
        return "RDD " + rddId + (name == null ? "" : " (" + name + ")") + " " + level + ": " + memoryPartitions
                + "/" + numPartitions + " partitions in memory (" + memoryBytes + " B), " + diskPartitions
                + " on disk (" + diskBytes + " B); " + hits + " hits, " + misses + " misses, " + evictions
                + " evictions";
    }
}
