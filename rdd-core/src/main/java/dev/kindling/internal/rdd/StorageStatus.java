package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.block.BlockStatus;
import dev.kindling.internal.storage.memory.MemoryManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a context's block store and memory budget hold right now, for the status web UI's storage
 * and executors pages and its metrics: each cached partition with its size, and the memory in use.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class StorageStatus {

    /**
     * One cached partition.
     *
     * @param rddId        the RDD
     * @param partition    the partition
     * @param storageLevel the name of the level it was stored with
     * @param memoryBytes  estimated bytes in memory (0 if not there)
     * @param diskBytes    bytes on disk (0 if not there)
     */
    public record CachedPartition(int rddId, int partition, String storageLevel, long memoryBytes, long diskBytes) {
    }

    /**
     * The memory budget shared by execution and cached blocks.
     *
     * @param maxBytes       the budget
     * @param storageUsed    bytes held by cached blocks in memory
     * @param executionUsed  bytes held by running tasks' buffers
     * @param peakExecutionUsed the most execution memory held at once
     */
    public record Memory(long maxBytes, long storageUsed, long executionUsed, long peakExecutionUsed) {
    }

    private StorageStatus() {
    }

    /** The cached partitions of {@code context}, by RDD id then partition. */
    public static List<CachedPartition> cachedPartitions(KindlingContext context) {
        BlockManager blocks = ContextInternals.of(context).blockManager();
        List<CachedPartition> out = new ArrayList<>();
        for (BlockStatus s : blocks.statuses()) {
            if (s.id() instanceof BlockId.RDDBlock b) {
                out.add(new CachedPartition(b.rddId(), b.partition(), s.level().name(), s.memoryBytes(), s.diskBytes()));
            }
        }
        out.sort(Comparator.comparingInt(CachedPartition::rddId).thenComparingInt(CachedPartition::partition));
        return out;
    }

    /** The memory budget of {@code context} and its use now. */
    public static Memory memory(KindlingContext context) {
        MemoryManager m = ContextInternals.of(context).memoryManager();
        return new Memory(m.maxBytes(), m.storageUsed(), m.executionUsed(), m.peakExecutionUsed());
    }
}
