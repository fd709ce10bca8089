package dev.kindling.internal.rdd;

import dev.kindling.RDD;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.block.CloseableIterator;
import java.util.Iterator;

/**
 * Serves persisted partitions through the {@link BlockManager}: a partition of an RDD with a
 * storage level is read from memory or disk when stored, otherwise computed from lineage and stored
 * as it is consumed.
 *
 * <p>Rules:
 * <ol>
 *   <li>One task computes a missing partition; another task asking for it meanwhile waits for it
 *       (and can still be killed while waiting), then reads it. A task that fails or is killed while
 *       computing stores nothing, and a waiting task then computes the partition itself.</li>
 *   <li>A partition being read is pinned (not evicted) until its iterator is exhausted or the task
 *       ends.</li>
 *   <li>A block lost from memory (evicted) or disk (file deleted) is recomputed transparently.</li>
 * </ol>
 */
public final class CacheManager {

    private final BlockManager blocks;

    /** A cache manager storing blocks in {@code blocks}. */
    public CacheManager(BlockManager blocks) {
        this.blocks = blocks;
    }

    /** Returns the partition's elements, from the block manager when the RDD is persisted. */
    public <T> Iterator<T> iterator(RDD<T> rdd, int partition, TaskContext task) throws Exception {
        return iterator(blocks, rdd, partition, task);
    }

    /**
     * Returns the partition's elements, from {@code blocks} (the block manager of the executor
     * running {@code task}) when the RDD is persisted.
     */
    @SuppressWarnings("unchecked")
    public static <T> Iterator<T> iterator(BlockManager blocks, RDD<T> rdd, int partition, TaskContext task)
            throws Exception {
        StorageLevel level = rdd.getStorageLevel();
        if (level == StorageLevel.NONE) {
            return rdd.computeOrRead(partition, task);
        }
        BlockId id = BlockId.rdd(rdd.id(), partition);
        long owner = task == null ? BlockManager.threadOwner() : task.taskAttemptId();
        Runnable checkKilled = task == null ? () -> { } : task::checkKilled;
        CloseableIterator<Object> it = blocks.getOrCompute(id, level, owner, checkKilled,
                () -> rdd.computeOrRead(partition, task));
        if (task != null) {
            task.addCompletionListener(it::close);
        }
        if (rdd.getStorageLevel() == StorageLevel.NONE) {
            blocks.remove(id); // unpersisted while computing
        }
        return (Iterator<T>) it;
    }

    /** Number of stored partitions of an RDD (in memory or on disk). */
    public int cachedPartitions(int rddId) {
        int n = 0;
        for (var s : blocks.statuses()) {
            if (s.id() instanceof BlockId.RDDBlock r && r.rddId() == rddId) {
                n++;
            }
        }
        return n;
    }

    /** Drops every stored partition of an RDD. */
    public void remove(int rddId) {
        blocks.removeRdd(rddId);
    }

    /** Drops one stored partition from memory and disk, as if lost. */
    public void evict(int rddId, int partition) {
        blocks.remove(BlockId.rdd(rddId, partition));
    }

    /** Drops everything. */
    public void clear() {
        blocks.close();
    }
}
