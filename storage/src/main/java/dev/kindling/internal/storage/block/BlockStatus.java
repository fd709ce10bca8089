package dev.kindling.internal.storage.block;

import dev.kindling.storage.StorageLevel;

/**
 * Where one block is kept and how big it is: estimated bytes in memory (0 if not there) and bytes
 * on disk (0 if not there).
 */
public record BlockStatus(BlockId id, StorageLevel level, long memoryBytes, long diskBytes) {

    /** Whether the block is held in memory. */
    public boolean inMemory() {
        return memoryBytes > 0;
    }

    /** Whether the block is held on disk. */
    public boolean onDisk() {
        return diskBytes > 0;
    }
}
