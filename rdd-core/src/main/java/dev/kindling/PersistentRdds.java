package dev.kindling;

import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.block.CacheCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A context's registry of the RDDs that have a storage level, and the storage report built from
 * it and the block manager ({@link KindlingContext#getRDDStorageInfo()}). Thread-safe.
 */
final class PersistentRdds {

    private final ConcurrentHashMap<Integer, RDD<?>> persistent = new ConcurrentHashMap<>();

    /** Adds {@code rdd} when {@code persisted}, else removes it. */
    void register(RDD<?> rdd, boolean persisted) {
        if (persisted) {
            persistent.put(rdd.id(), rdd);
        } else {
            persistent.remove(rdd.id());
        }
    }

    /** The registered RDDs by id, in id order; a copy. */
    Map<Integer, RDD<?>> snapshot() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(persistent));
    }

    /**
     * Partitions and bytes in memory and on disk, and cache hits, misses and evictions, for each
     * registered RDD, in RDD id order; RDDs with nothing stored yet are listed with zeros.
     */
    List<RDDStorageInfo> storageInfo(BlockManager blockManager) {
        Map<Integer, long[]> sums = new TreeMap<>();
        for (var status : blockManager.statuses()) {
            if (status.id() instanceof BlockId.RDDBlock block) {
                long[] s = sums.computeIfAbsent(block.rddId(), k -> new long[4]);
                s[0] += status.inMemory() ? 1 : 0;
                s[1] += status.onDisk() ? 1 : 0;
                s[2] += status.memoryBytes();
                s[3] += status.diskBytes();
            }
        }
        List<RDDStorageInfo> out = new ArrayList<>();
        for (RDD<?> rdd : new TreeMap<>(persistent).values()) {
            long[] s = sums.getOrDefault(rdd.id(), new long[4]);
            CacheCounts counts = blockManager.cacheCounts(rdd.id());
            out.add(new RDDStorageInfo(rdd.id(), rdd.name(), rdd.getStorageLevel(), rdd.numPartitions(),
                    (int) s[0], (int) s[1], s[2], s[3], counts.hits(), counts.misses(), counts.evictions()));
        }
        return out;
    }
}
