package dev.kindling.internal.cluster;

import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An executor's memory of which cached RDD partitions it last told the driver about, and the changes
 * since: what its block manager holds now against what was reported. Comparing snapshots (rather than
 * hooking every store, eviction and removal) catches every way a block can come or go.
 *
 * <p>Thread safety: callers hold the sink's report lock.
 */
final class CachedBlockReporter {

    /** Blocks stored and dropped since the last report, as (rdd id, partition) pairs. */
    record Changes(int[] stored, int[] removed) {
        boolean isEmpty() {
            return stored.length == 0 && removed.length == 0;
        }
    }

    private final BlockManager blocks;
    private Set<BlockId.RDDBlock> reported = new HashSet<>();

    CachedBlockReporter(BlockManager blocks) {
        this.blocks = blocks;
    }

    /** The changes since the last call, which count as reported from now on. */
    Changes changes() {
        Set<BlockId.RDDBlock> now = blocks.rddBlocks();
        List<BlockId.RDDBlock> stored = new ArrayList<>();
        for (BlockId.RDDBlock b : now) {
            if (!reported.contains(b)) {
                stored.add(b);
            }
        }
        List<BlockId.RDDBlock> removed = new ArrayList<>();
        for (BlockId.RDDBlock b : reported) {
            if (!now.contains(b)) {
                removed.add(b);
            }
        }
        if (stored.isEmpty() && removed.isEmpty()) {
            return new Changes(new int[0], new int[0]);
        }
        reported = now;
        return new Changes(pairs(stored), pairs(removed));
    }

    /** Forgets the blocks of an RDD that the driver already forgot (unpersist), so storing them again is news. */
    void forgetRdd(int rddId) {
        reported.removeIf(b -> b.rddId() == rddId);
    }

    private static int[] pairs(List<BlockId.RDDBlock> blocks) {
        int[] out = new int[blocks.size() * 2];
        for (int i = 0; i < blocks.size(); i++) {
            out[2 * i] = blocks.get(i).rddId();
            out[2 * i + 1] = blocks.get(i).partition();
        }
        return out;
    }
}
