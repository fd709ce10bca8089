package dev.kindling.rdd;

import dev.kindling.RDD;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves persisted partitions: a partition of an RDD with a storage level is computed fully once,
 * stored, and read from the store by later tasks. A task that fails or is killed while computing
 * stores nothing, so a partial partition never enters the cache.
 */
public final class CacheManager {

    private record BlockKey(int rddId, int partition) {
    }

    private final ConcurrentHashMap<BlockKey, List<Object>> blocks = new ConcurrentHashMap<>();

    /** Returns the partition's elements, from the cache when the RDD is persisted and the block present. */
    @SuppressWarnings("unchecked")
    public <T> Iterator<T> iterator(RDD<T> rdd, int partition, TaskContext context) throws Exception {
        StorageLevel level = rdd.getStorageLevel();
        if (level == StorageLevel.NONE) {
            return rdd.computeOrRead(partition, context);
        }
        BlockKey key = new BlockKey(rdd.id(), partition);
        List<Object> cached = blocks.get(key);
        if (cached != null) {
            return (Iterator<T>) cached.iterator();
        }
        Iterator<T> computed = rdd.computeOrRead(partition, context);
        List<Object> all = new ArrayList<>();
        while (computed.hasNext()) {
            all.add(computed.next());
            if ((all.size() & 1023) == 0 && context != null) {
                context.checkKilled();
            }
        }
        if (context != null) {
            context.checkKilled();
        }
        if (rdd.getStorageLevel() != StorageLevel.NONE) {
            blocks.put(key, all);
        }
        return (Iterator<T>) all.iterator();
    }

    /** Number of cached partitions of an RDD. */
    public int cachedPartitions(int rddId) {
        int n = 0;
        for (BlockKey k : blocks.keySet()) {
            if (k.rddId() == rddId) {
                n++;
            }
        }
        return n;
    }

    /** Drops every cached partition of an RDD. */
    public void remove(int rddId) {
        blocks.keySet().removeIf(k -> k.rddId() == rddId);
    }

    /** Drops one cached partition, as if evicted. */
    public void evict(int rddId, int partition) {
        blocks.remove(new BlockKey(rddId, partition));
    }

    /** Drops everything. */
    public void clear() {
        blocks.clear();
    }
}
